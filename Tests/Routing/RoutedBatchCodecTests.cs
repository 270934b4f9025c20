using System.Net;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Interfaces.Routing;
using Xunit;

namespace OrleansTracker.Tests.Routing;

/// <summary>
/// The bytes a batch of announces and its answers cross between silos in: every field comes back
/// exactly (IPv4 and IPv6 addresses, ports, 64-bit counters, flags), and bytes that are not a
/// whole batch of this layout are refused with a <see cref="FormatException"/>, never misread.
/// </summary>
public sealed class RoutedBatchCodecTests
{
    private static readonly Random Seeded = new(1515);

    [Fact]
    public void every_field_of_every_request_comes_back_exactly()
    {
        for (var round = 0; round < 50; round++)
        {
            var items = Enumerable.Range(0, Seeded.Next(0, 40)).Select(_ => RandomRequest()).ToArray();
            var batch = RoutedBatchCodec.NewRequests(items.Length);
            for (var i = 0; i < items.Length; i++)
                RoutedBatchCodec.WriteRequest(batch, i, items[i].Hash, items[i].Request);

            Assert.Equal(items.Length, RoutedBatchCodec.RequestCount(batch));
            for (var i = 0; i < items.Length; i++)
                Assert.Equal(items[i], RoutedBatchCodec.ReadRequest(batch, i));
        }
    }

    [Fact]
    public void every_answer_comes_back_exactly_and_failed_ones_stay_failed()
    {
        for (var round = 0; round < 50; round++)
        {
            var answers = Enumerable.Range(0, Seeded.Next(0, 40))
                .Select(_ => Seeded.Next(5) == 0 ? null : RandomAnswer())
                .ToArray();

            var decoded = RoutedBatchCodec.ReadAnswers(RoutedBatchCodec.EncodeAnswers(answers), answers.Length);

            Assert.Equal(answers.Length, decoded.Length);
            for (var i = 0; i < answers.Length; i++)
                AssertSameAnswer(answers[i], decoded[i]);
        }
    }

    [Fact]
    public void an_answer_list_of_the_wrong_length_or_with_bytes_missing_or_left_over_is_refused()
    {
        var bytes = RoutedBatchCodec.EncodeAnswers([RandomAnswer(), null, RandomAnswer()]);

        Assert.Throws<FormatException>(() => RoutedBatchCodec.ReadAnswers(bytes, 2));
        for (var cut = 0; cut < bytes.Length; cut++)
            Assert.Throws<FormatException>(() => RoutedBatchCodec.ReadAnswers(bytes.AsSpan(0, cut), 3));
        Assert.Throws<FormatException>(() => RoutedBatchCodec.ReadAnswers([.. bytes, 0], 3));
    }

    [Fact]
    public void a_request_batch_of_another_layout_a_wrong_length_or_impossible_fields_is_refused()
    {
        var (hash, request) = RandomRequest();
        var batch = RoutedBatchCodec.NewRequests(2);
        RoutedBatchCodec.WriteRequest(batch, 0, hash, request);
        RoutedBatchCodec.WriteRequest(batch, 1, hash, request);

        Assert.Throws<FormatException>(() => RoutedBatchCodec.RequestCount(batch.AsSpan(0, batch.Length - 1)));
        Assert.Throws<FormatException>(() => RoutedBatchCodec.RequestCount(batch.AsSpan(0, 3)));
        Assert.Throws<FormatException>(() => RoutedBatchCodec.RequestCount(Changed(batch, 0, RoutedBatchCodec.Version + 1)));
        Assert.Throws<FormatException>(() => RoutedBatchCodec.RequestCount(Changed(batch, 4, 0x80)));

        var item1 = 5 + RoutedBatchCodec.RequestLength;
        Assert.Throws<FormatException>(() => RoutedBatchCodec.ReadRequest(Changed(batch, item1 + 40, 5), 1));
        Assert.Throws<FormatException>(() => RoutedBatchCodec.ReadRequest(Changed(batch, item1 + 83, 4), 1));
        Assert.Throws<FormatException>(() => RoutedBatchCodec.ReadRequest(Changed(batch, item1 + 88, 4), 1));
        Assert.Equal((hash, request), RoutedBatchCodec.ReadRequest(batch, 1));
    }

    [Fact]
    public void an_ipv4_mapped_address_is_read_back_as_the_ipv4_address_it_stands_for()
    {
        var mapped = PeerEndpoint.FromIPAddress(IPAddress.Parse("::ffff:10.1.2.3"), 6881);
        var plain = PeerEndpoint.FromIPAddress(IPAddress.Parse("10.1.2.3"), 6881);
        var batch = RoutedBatchCodec.NewRequests(1);
        RoutedBatchCodec.WriteRequest(batch, 0, default, new AnnounceRequest { Endpoint = mapped });

        Assert.Equal(plain, RoutedBatchCodec.ReadRequest(batch, 0).Request.Endpoint);
    }

    private static byte[] Changed(byte[] bytes, int at, int value)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] = (byte)value;
        return copy;
    }

    private static (InfoHash Hash, AnnounceRequest Request) RandomRequest()
    {
        var address = new byte[Seeded.Next(2) == 0 ? 4 : 16];
        Seeded.NextBytes(address);
        var id = new byte[20];
        Seeded.NextBytes(id);
        var request = new AnnounceRequest(
            PeerId.Read(id),
            PeerEndpoint.FromAddressBytes(address, (ushort)Seeded.Next(0, 65536)),
            Uploaded: Seeded.NextInt64(long.MinValue, long.MaxValue),
            Downloaded: Seeded.NextInt64(),
            Left: Seeded.NextInt64(long.MinValue, long.MaxValue),
            Event: (AnnounceEvent)Seeded.Next(0, 4),
            NumWant: Seeded.Next(int.MinValue, int.MaxValue),
            Families: (PeerFamilies)Seeded.Next(0, 4),
            IncludePeerIds: Seeded.Next(2) == 0);
        var hash = new byte[20];
        Seeded.NextBytes(hash);
        return (InfoHash.Read(hash), request);
    }

    private static AnnounceResult RandomAnswer() => new(
        Seeded.Next(),
        Seeded.Next(),
        Seeded.NextInt64(),
        RandomBytes(6 * Seeded.Next(0, 50)),
        RandomBytes(18 * Seeded.Next(0, 10)),
        RandomBytes(20 * Seeded.Next(0, 3)),
        PeerLimitReached: Seeded.Next(3) == 0);

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Seeded.NextBytes(bytes);
        return bytes;
    }

    private static void AssertSameAnswer(AnnounceResult? expected, AnnounceResult? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }
        Assert.NotNull(actual);
        Assert.Equal(
            (expected.Seeders, expected.Leechers, expected.Completed, expected.PeerLimitReached),
            (actual.Seeders, actual.Leechers, actual.Completed, actual.PeerLimitReached));
        Assert.Equal(expected.Peers4, actual.Peers4);
        Assert.Equal(expected.Peers6, actual.Peers6);
        Assert.Equal(expected.PeerIds, actual.PeerIds);
    }
}

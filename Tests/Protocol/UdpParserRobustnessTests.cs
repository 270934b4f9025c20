using OrleansTracker.Tests.Support;
using System.Buffers.Binary;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Grains.Interfaces;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

/// <summary>Every packet length 0..300 for every action: never an exception, always a sensible verdict.</summary>
public sealed class UdpParserRobustnessTests
{
    private const int MaxLength = 300;

    [Theory]
    [InlineData(UdpAction.Connect)]
    [InlineData(UdpAction.Announce)]
    [InlineData(UdpAction.Scrape)]
    [InlineData(UdpAction.Error)]
    public void every_length_gives_a_sensible_result(UdpAction action)
    {
        var random = new Random((int)action);
        for (var length = 0; length <= MaxLength; length++)
        {
            var packet = new byte[length];
            random.NextBytes(packet);
            if (length >= 8)
                BinaryPrimitives.WriteInt64BigEndian(packet, action == UdpAction.Connect ? UdpLayout.ProtocolId : 42);
            if (length >= 12)
                BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), (int)action);
            if (length >= 84)
                BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(80), random.Next(4)); // a valid event

            var ok = UdpRequestParser.TryParse(packet, out var request, out var error);

            var expected = length < 16 ? false : action switch
            {
                UdpAction.Connect => true,
                UdpAction.Announce => length >= 98,
                UdpAction.Scrape => length > 16 && (length - 16) % 20 == 0 && (length - 16) / 20 <= 74,
                _ => false,
            };
            Assert.Equal(expected, ok);
            if (ok)
            {
                Assert.Equal(action, request.Action);
                Assert.Equal(UdpParseErrorKind.None, error.Kind);
            }
            else
            {
                Assert.NotEqual(UdpParseErrorKind.None, error.Kind);
                Assert.False(error.Message.IsEmpty);
                // Answerable exactly when a transaction id exists and the action is one we serve.
                Assert.Equal(length >= 16 && action is UdpAction.Announce or UdpAction.Scrape, error.AllowsErrorResponse);
            }
        }
    }

    [Fact]
    public void random_garbage_of_every_length_never_throws_and_only_answers_with_a_transaction_id()
    {
        var random = new Random(300);
        var destination = new byte[255];
        for (var length = 0; length <= MaxLength; length++)
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                var packet = new byte[length];
                random.NextBytes(packet);
                // Half the time a plausible action, so the deeper checks get garbage too.
                if (attempt % 2 == 0 && length >= 12)
                    BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), random.Next(4));
                var ok = UdpRequestParser.TryParse(packet, out var request, out var error);
                if (ok && request.Action == UdpAction.Scrape)
                    Assert.InRange(request.HashCount, 1, 74);
                if (!ok && error.AllowsErrorResponse)
                    Assert.True(packet.Length >= 16);
                UdpRequestParser.TryReadUrlData(packet, destination, out var written);
                Assert.InRange(written, 0, destination.Length);
            }
        }
    }

    [Fact]
    public void parsing_and_writing_do_not_allocate()
    {
        var announce = UdpRequestEncoder.Announce(new UdpRequest { Event = AnnounceEvent.Started, NumWant = 50 }, [2, 3, (byte)'/', (byte)'a', (byte)'b']);
        var scrape = UdpRequestEncoder.Scrape(1, 2, [default, default]);
        var output = new byte[2048];
        var url = new byte[255];
        SwarmCounts[] counts = [new(1, 2, 3), new(4, 5, 6)];
        void Run()
        {
            _ = UdpRequestParser.TryParse(announce, out _, out _);
            _ = UdpRequestParser.TryReadUrlData(announce, url, out _);
            _ = UdpRequestParser.TryParse(scrape, out var r, out _);
            r.ScrapeHash(scrape, 1);
            _ = UdpRequestParser.TryParse(announce.AsSpan(0, 50), out _, out var e);
            UdpResponseWriter.WriteError(output, 1, e.Message);
            UdpResponseWriter.WriteAnnounce(output, 1, 2, 3, 4, announce.AsSpan(0, 60));
            UdpResponseWriter.WriteScrape(output, 1, counts);
        }
        Run();
        ThreadAllocations.AssertNothingPerCall(100, Run);
    }
}

using System.Buffers.Binary;
using System.Text;
using CsCheck;
using OrleansTracker.Fuzz;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

/// <summary>
/// The short CI run of the UDP fuzz target (fuzz/run.sh runs it for millions of inputs): BEP 15
/// packets with valid headers and mutated bodies, BEP 41 option chains (honest, cut and lying),
/// through the same property checks as the AFL target.
/// </summary>
public sealed class FuzzUdpTests
{
    private const int Iterations = 30_000;

    private static Gen<byte[]> Header(int action) =>
        Gen.Select(Gen.Long, Gen.Int, (connection, transaction) =>
        {
            var header = new byte[16];
            BinaryPrimitives.WriteInt64BigEndian(header, action == 0 ? 0x41727101980 : connection);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), action);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), transaction);
            return header;
        });

    private static readonly Gen<byte[]> Option = Gen.Frequency(
        (3, Gen.Const(new byte[] { 1 })),                                                   // NOP
        (1, Gen.Const(new byte[] { 0 })),                                                   // end of options
        (1, Gen.Byte[3, 255].Select(t => new[] { t })),                                     // unknown type
        (4, Gen.Byte.Array[0, 40].Select(d => (byte[])[2, (byte)d.Length, .. d])),          // honest URL data
        (2, Gen.Select(Gen.Byte, Gen.Byte.Array[0, 10], (n, d) => (byte[])[2, n, .. d])),   // length may lie
        (3, Gen.Select(Gen.String[Gen.Char["abcXYZ019/?=%"], 0, 30], Gen.Bool, (key, slash) =>
        {
            var path = Encoding.Latin1.GetBytes("/announce/" + key + (slash ? "/" : ""));
            return (byte[])[2, (byte)path.Length, .. path];
        })));

    private static readonly Gen<byte[]> Announce =
        Gen.Select(Header(1), Gen.Byte.Array[82], Gen.Frequency((8, Gen.Int[-1, 5]), (1, Gen.Int)), Option.Array[0, 6], (header, body, announceEvent, options) =>
        {
            var packet = (byte[])[.. header, .. body, .. options.SelectMany(o => o)];
            BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(80), announceEvent);
            return packet;
        });

    internal static readonly Gen<byte[]> Packet = Gen.Frequency(
        (1, Gen.Select(Header(0), Gen.Byte.Array[0, 8], (h, tail) => (byte[])[.. h, .. tail])),
        (1, Gen.Select(Header(0), Gen.Long, (h, magic) => { BinaryPrimitives.WriteInt64BigEndian(h, magic); return h; })),
        (6, Announce),
        (3, Gen.Select(Header(2), Gen.Int[0, 80], Gen.Int[-1, 19], Gen.Byte.Array[0, 80 * 20], (h, n, extra, hashes) =>
            (byte[])[.. h, .. hashes.AsSpan(0, Math.Clamp((n * 20) + extra, 0, hashes.Length))])),
        (1, Gen.Select(Gen.Int, Gen.Byte.Array[0, 120], (action, body) =>
        {
            var packet = (byte[])[.. new byte[16], .. body];
            BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), action);
            return packet;
        })),
        (1, Gen.Byte.Array[0, 200]));

    /// <summary>A generated packet, then cut short and with a few bytes overwritten.</summary>
    private static readonly Gen<byte[]> Mutated = Gen.Select(Packet, Gen.Int[0, 200], Gen.Int[0, 3], Gen.Int, (packet, cut, flips, seed) =>
    {
        var random = new Random(seed);
        var mutated = packet.AsSpan(0, Math.Min(packet.Length, cut)).ToArray();
        for (var i = 0; i < flips && mutated.Length > 0; i++)
            mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
        return mutated;
    });

    [Fact]
    public void wire_shaped_packets_keep_every_parser_property() =>
        Packet.Sample(p => UdpTarget.Check(p), iter: Iterations);

    [Fact]
    public void cut_and_mutated_packets_keep_every_parser_property() =>
        Mutated.Sample(p => UdpTarget.Check(p), iter: Iterations / 3);

    [Fact]
    public void the_seed_corpus_passes() =>
        FuzzCorpus.Replay("udp", b => UdpTarget.Check(b));

    [Fact]
    public void the_checks_agree_with_a_known_refusal_and_throw_on_a_broken_property()
    {
        // One past BEP 15's 74 hashes: the parser refuses it and the target's oracle expects that.
        var packet = (byte[])[.. Header(2).Single(), .. new byte[75 * 20]];
        UdpTarget.Check(packet);
        Assert.False(OrleansTracker.Frontends.Protocol.UdpRequestParser.TryParse(packet, out _, out var error));
        Assert.Equal(OrleansTracker.Frontends.Protocol.UdpParseErrorKind.TooManyInfoHashes, error.Kind);
        Assert.Throws<InvalidOperationException>(() => Require.That(false, "a failing property throws"));
    }
}

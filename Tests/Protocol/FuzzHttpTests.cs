using CsCheck;
using OrleansTracker.Fuzz;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

/// <summary>
/// The short CI run of the HTTP fuzz target: raw announce and scrape query strings built from
/// the known parameter names with percent-encoding edge cases (broken escapes, either hex case,
/// raw '+', chars above U+00FF, wrong lengths, repeated and value-less parameters).
/// </summary>
public sealed class FuzzHttpTests
{
    private const int Iterations = 20_000;

    private static readonly string[] Names =
        ["info_hash", "peer_id", "port", "uploaded", "downloaded", "left", "event", "compact", "numwant",
         "no_peer_id", "key", "ipv4", "ipv6", "info_hash", "x", "", "INFO_HASH", "info%5Fhash"];

    /// <summary>Bytes as a client may send them: %XX in either case, or the raw char.</summary>
    private static Gen<string> Binary(int minLength, int maxLength) =>
        Gen.Select(Gen.Byte.Array[minLength, maxLength], Gen.Int, (bytes, style) =>
            string.Concat(bytes.Select((b, i) => ((style >> (i % 30)) & 3) switch
            {
                0 => $"%{b:X2}",
                1 => $"%{b:x2}",
                _ => b is (byte)'&' or (byte)'%' ? $"%{b:X2}" : ((char)b).ToString(),
            })));

    private static readonly Gen<string> Value = Gen.Frequency(
        (6, Binary(20, 20)),
        (2, Binary(0, 24)),
        (3, Gen.OneOf(Gen.Long.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Int[0, 70000].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Const("00000000000000000000000000065535"), Gen.Const("000000000000000000000000000000065535"),
            Gen.Const("+5"), Gen.Const(" 5"), Gen.Const("-1"), Gen.Const("99999999999999999999"))),
        (2, Gen.OneOf("started", "stopped", "completed", "empty", "", "paused", "STARTED", "st%61rted", "0", "1", "2", "4")),
        (2, Gen.OneOf("105.105.105.105", "1.2.3.4:80", "01.2.3.4", "256.1.1.1", "[::1]:80", "::1", "[::1",
            "::ffff:1.2.3.4", "2001:db8::1", "[2001%3Adb8%3A%3A1]%3A80", "1:2:3:4:5:6:7:8:9", "::1.2.3.4")),
        (2, Gen.OneOf("%", "%4", "%zz", "%%41", "%G0", "+", "\u0100", "é", "\uD800", "&", "=", "==")),
        (1, Gen.String[0, 30]));

    private static readonly Gen<string> Pair = Gen.Frequency(
        (8, Gen.Select(Gen.OneOf(Names), Value, (name, value) => name + "=" + value)),
        (1, Gen.OneOf(Names)),
        (1, Gen.Const("")));

    /// <summary>A valid announce base plus generated pairs, shuffled, so many queries parse.</summary>
    internal static readonly Gen<string> Query = Gen.Frequency(
        (3, Pair.Array[0, 12].Select(pairs => string.Join('&', pairs))),
        (3, Gen.Select(Binary(20, 20), Binary(20, 20), Gen.Int[0, 65535], Pair.Array[0, 8], Gen.Int,
            (hash, peer, port, extra, seed) =>
            {
                string[] pairs = [$"info_hash={hash}", $"peer_id={peer}", $"port={port}", .. extra];
                new Random(seed).Shuffle(pairs);
                return string.Join('&', pairs);
            })),
        (2, Gen.Select(Binary(18, 22), Gen.Int[1, 90], (hash, n) => string.Join('&', Enumerable.Repeat("info_hash=" + hash, n)))));

    [Fact]
    public void generated_queries_keep_every_parser_property() =>
        Query.Sample(HttpTarget.CheckQuery, iter: Iterations);

    [Fact]
    public void query_bytes_read_as_latin1_and_utf8_keep_every_parser_property() =>
        Gen.Byte.Array[0, 300].Sample(b => HttpTarget.Check(b), iter: Iterations / 4);

    [Fact]
    public void the_seed_corpus_passes() =>
        FuzzCorpus.Replay("http", b => HttpTarget.Check(b));
}

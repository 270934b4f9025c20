using System.Buffers.Binary;
using CsCheck;
using OrleansTracker.Fuzz;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

/// <summary>
/// The short CI run of the bencode writer target: every writer with counts at the int32/int64
/// edges, peer lists of every size, duplicate scrape hashes (past the 128-entry stack sort too)
/// and failure reasons with any UTF-16 (lone surrogates included), checked by the strict decoder.
/// </summary>
public sealed class FuzzBencodeTests
{
    private const int Iterations = 20_000;

    private static readonly Gen<long> Edge = Gen.Frequency(
        (2, Gen.OneOf(0L, 1L, -1L, 9L, 10L, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue)),
        (1, Gen.Long));

    /// <summary>Writer selector, then the announce head (4 int32 + 1 int64) from edge values, then free bytes.</summary>
    private static readonly Gen<byte[]> Input = Gen.Select(Gen.Byte[0, 3], Edge.Array[5], Gen.Byte.Array[0, 1500], (kind, head, rest) =>
    {
        var input = new byte[1 + (4 * 4) + 8 + rest.Length];
        input[0] = kind;
        for (var i = 0; i < 4; i++)
            BinaryPrimitives.WriteInt32BigEndian(input.AsSpan(1 + (4 * i)), (int)head[i]);
        BinaryPrimitives.WriteInt64BigEndian(input.AsSpan(17), head[4]);
        rest.CopyTo(input.AsSpan(25));
        return input;
    });

    [Fact]
    public void every_writer_answers_strict_bencode_that_says_what_it_was_given() =>
        Input.Sample(b => BencodeTarget.Check(b), iter: Iterations);

    [Fact]
    public void the_seed_corpus_passes() =>
        FuzzCorpus.Replay("bencode", b => BencodeTarget.Check(b));
}

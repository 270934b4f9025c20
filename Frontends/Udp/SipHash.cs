using System.Buffers.Binary;
using System.Numerics;

namespace OrleansTracker.Frontends.Udp;

/// <summary>
/// SipHash-2-4 (Aumasson and Bernstein, 2012): a fast keyed PRF for short inputs, used as the MAC
/// of stateless BEP 15 connection ids. Written here (not taken from a package) because the BCL has
/// no SipHash and the input is a few bytes; verified against the paper's reference vectors.
/// </summary>
public static class SipHash
{
    /// <summary>SipHash-2-4 of <paramref name="data"/> under the 128-bit key (k0, k1).</summary>
    public static ulong Hash24(ulong k0, ulong k1, ReadOnlySpan<byte> data)
    {
        // "somepseudorandomlygeneratedbytes", the initialisation constants of the paper.
        var v0 = k0 ^ 0x736f6d6570736575UL;
        var v1 = k1 ^ 0x646f72616e646f6dUL;
        var v2 = k0 ^ 0x6c7967656e657261UL;
        var v3 = k1 ^ 0x7465646279746573UL;

        var whole = data.Length & ~7;
        for (var i = 0; i < whole; i += 8)
        {
            var m = BinaryPrimitives.ReadUInt64LittleEndian(data[i..]);
            v3 ^= m;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= m;
        }

        // The last word holds the remaining bytes and, in its top byte, the input length mod 256.
        var last = (ulong)data.Length << 56;
        var tail = data[whole..];
        for (var i = 0; i < tail.Length; i++)
            last |= (ulong)tail[i] << (8 * i);
        v3 ^= last;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= last;

        v2 ^= 0xff;
        for (var i = 0; i < 4; i++)
            Round(ref v0, ref v1, ref v2, ref v3);
        return v0 ^ v1 ^ v2 ^ v3;
    }

    /// <summary>SipHash-2-4 with the key given as 16 bytes (two little-endian words, as in the paper).</summary>
    public static ulong Hash24(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(key.Length, 16, nameof(key));
        return Hash24(BinaryPrimitives.ReadUInt64LittleEndian(key), BinaryPrimitives.ReadUInt64LittleEndian(key[8..]), data);
    }

    private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        v0 += v1;
        v1 = BitOperations.RotateLeft(v1, 13);
        v1 ^= v0;
        v0 = BitOperations.RotateLeft(v0, 32);
        v2 += v3;
        v3 = BitOperations.RotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = BitOperations.RotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = BitOperations.RotateLeft(v1, 17);
        v1 ^= v2;
        v2 = BitOperations.RotateLeft(v2, 32);
    }
}

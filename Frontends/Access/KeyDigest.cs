using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OrleansTracker.Frontends.Access;

/// <summary>
/// What <see cref="AccessPolicy"/> looks tracker keys up by: HMAC-SHA256 of the key under a secret drawn
/// once per process. Looking up the key text itself would let the time of a probe depend on the
/// stored keys (which hash bucket is filled, where a string comparison stops); a probe's digest is
/// unpredictable without the secret, so the lookup time says nothing about any stored key. One
/// HMAC of 32 bytes per private announce (well under a microsecond), no allocation.
/// </summary>
internal readonly record struct KeyDigest(UInt128 High, UInt128 Low)
{
    private static readonly byte[] Secret = RandomNumberGenerator.GetBytes(32);

    /// <summary>The digest of a key's UTF-8 bytes (announced keys are checked well-formed first).</summary>
    public static KeyDigest Of(ReadOnlySpan<char> key)
    {
        var size = Encoding.UTF8.GetMaxByteCount(key.Length);
        // Stored keys come from the database and are not re-checked here, so size the buffer to the key.
        Span<byte> bytes = size <= 256 ? stackalloc byte[size] : new byte[size];
        var length = Encoding.UTF8.GetBytes(key, bytes);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Secret, bytes[..length], mac);
        return new KeyDigest(
            BinaryPrimitives.ReadUInt128LittleEndian(mac),
            BinaryPrimitives.ReadUInt128LittleEndian(mac[16..]));
    }
}

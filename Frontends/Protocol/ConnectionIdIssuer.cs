using System.Buffers.Binary;
using System.Security.Cryptography;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// Issues and checks stateless BEP 15 connection ids. BEP 15's connection id exists to stop source
/// address spoofing: only a client that received our connect answer at its address can know it.
/// Instead of a table of issued ids, the id carries its issue time and a keyed MAC:
/// high 32 bits = issue time (Unix seconds, low 32 bits), low 32 bits = the low half of
/// SipHash-2-4(key, client address bytes ‖ issue time). The port is left out of the MAC because NAT
/// may rebind a client's source port between connect and announce. Every silo of a cluster shares
/// the key, so any node accepts an id issued by another.
/// </summary>
public sealed class ConnectionIdIssuer
{
    /// <summary>BEP 15: "a connection ID can be used for multiple requests … for one minute"; we allow two.</summary>
    public const int MaxAgeSeconds = 120;

    /// <summary>Silos' clocks differ a little; an id from a node up to this far ahead is accepted.</summary>
    public const int MaxFutureSkewSeconds = 5;

    public const int KeyLength = 16;

    private readonly ulong _k0;
    private readonly ulong _k1;
    private readonly TimeProvider _timeProvider;

    public ConnectionIdIssuer(ReadOnlySpan<byte> secretKey, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(secretKey.Length, KeyLength, nameof(secretKey));
        ArgumentNullException.ThrowIfNull(timeProvider);
        _k0 = BinaryPrimitives.ReadUInt64LittleEndian(secretKey);
        _k1 = BinaryPrimitives.ReadUInt64LittleEndian(secretKey[8..]);
        _timeProvider = timeProvider;
    }

    public long Issue(PeerEndpoint client)
    {
        var now = Now();
        return (long)(((ulong)now << 32) | Mac(client, now));
    }

    public bool IsValid(long connectionId, PeerEndpoint client)
    {
        var issued = (uint)((ulong)connectionId >> 32);
        // Wrapping 32-bit difference: correct across the 2106 rollover of the low 32 bits.
        var age = (int)(Now() - issued);
        if (age < -MaxFutureSkewSeconds || age > MaxAgeSeconds)
            return false;

        // Constant-time, so response timing does not reveal how many MAC bytes were right.
        Span<byte> expected = stackalloc byte[4];
        Span<byte> actual = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(expected, Mac(client, issued));
        BinaryPrimitives.WriteUInt32BigEndian(actual, (uint)connectionId);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private uint Now() => (uint)_timeProvider.GetUtcNow().ToUnixTimeSeconds();

    private uint Mac(PeerEndpoint client, uint issued)
    {
        // Address (4 or 16 bytes; the length keeps the families apart) followed by the issue time.
        Span<byte> message = stackalloc byte[16 + 4];
        var n = client.WriteAddress(message);
        BinaryPrimitives.WriteUInt32LittleEndian(message[n..], issued);
        return (uint)SipHash.Hash24(_k0, _k1, message[..(n + 4)]);
    }
}

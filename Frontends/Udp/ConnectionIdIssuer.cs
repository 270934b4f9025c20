using System.Buffers.Binary;
using System.Security.Cryptography;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Udp;

/// <summary>
/// Issues and checks stateless BEP 15 connection ids. BEP 15's connection id exists to stop source
/// address spoofing: only a client that received our connect response at its address can know it.
/// Instead of a table of issued ids, the id carries its issue time and a keyed MAC:
/// high 32 bits = issue time (Unix seconds, low 32 bits), low 32 bits = the low half of
/// SipHash-2-4(key, client address bytes ‖ issue time). The port is left out of the MAC because NAT
/// may rebind a client's source port between connect and announce. Every silo of a cluster shares
/// the key, so any node accepts an id issued by another; <see cref="Rekey"/> installs the cluster's
/// key and keeps the one before it valid, so a key change never rejects an id still in its lifetime.
/// </summary>
public sealed class ConnectionIdIssuer
{
    /// <summary>BEP 15: "a connection ID can be used for multiple requests … for one minute"; we allow two.</summary>
    public const int MaxAgeSeconds = 120;

    /// <summary>Silos' clocks differ a little; an id from a node up to this far ahead is accepted.</summary>
    public const int MaxFutureSkewSeconds = 5;

    public const int KeyLength = 16;

    private readonly TimeProvider _timeProvider;
    private readonly Lock _rekeyLock = new();
    private volatile SipKey _current;
    private volatile SipKey? _previous;

    public ConnectionIdIssuer(ReadOnlySpan<byte> secretKey, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _current = SipKey.From(secretKey);
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Switches to <paramref name="secretKey"/> (no-op when it is the current key). Ids issued under
    /// the replaced key stay valid, so frontends that learn a new cluster key at slightly different
    /// moments never reject each other's fresh ids.
    /// </summary>
    public void Rekey(ReadOnlySpan<byte> secretKey)
    {
        var next = SipKey.From(secretKey);
        lock (_rekeyLock)
        {
            if (next == _current)
                return;
            _previous = _current;
            _current = next;
        }
    }

    public long Issue(PeerEndpoint client)
    {
        var now = Now();
        return (long)(((ulong)now << 32) | Mac(_current, client, now));
    }

    public bool IsValid(long connectionId, PeerEndpoint client)
    {
        var issued = (uint)((ulong)connectionId >> 32);
        // Wrapping 32-bit difference: correct across the 2106 rollover of the low 32 bits.
        var age = (int)(Now() - issued);
        if (age < -MaxFutureSkewSeconds || age > MaxAgeSeconds)
            return false;

        return Matches(_current, connectionId, client, issued)
            || (_previous is { } previous && Matches(previous, connectionId, client, issued));
    }

    private static bool Matches(SipKey key, long connectionId, PeerEndpoint client, uint issued)
    {
        // Constant-time, so response timing does not reveal how many MAC bytes were right.
        Span<byte> expected = stackalloc byte[4];
        Span<byte> actual = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(expected, Mac(key, client, issued));
        BinaryPrimitives.WriteUInt32BigEndian(actual, (uint)connectionId);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private uint Now() => (uint)_timeProvider.GetUtcNow().ToUnixTimeSeconds();

    private static uint Mac(SipKey key, PeerEndpoint client, uint issued)
    {
        // Address (4 or 16 bytes; the length keeps the families apart) followed by the issue time.
        Span<byte> message = stackalloc byte[16 + 4];
        var n = client.WriteAddress(message);
        BinaryPrimitives.WriteUInt32LittleEndian(message[n..], issued);
        return (uint)SipHash.Hash24(key.K0, key.K1, message[..(n + 4)]);
    }

    /// <summary>One immutable object per key, so a reader never sees half of a key change.</summary>
    private sealed record SipKey(ulong K0, ulong K1)
    {
        public static SipKey From(ReadOnlySpan<byte> key)
        {
            ArgumentOutOfRangeException.ThrowIfNotEqual(key.Length, KeyLength, "secretKey.Length");
            return new(BinaryPrimitives.ReadUInt64LittleEndian(key), BinaryPrimitives.ReadUInt64LittleEndian(key[8..]));
        }
    }
}

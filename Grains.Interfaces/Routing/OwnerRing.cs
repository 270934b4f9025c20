using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OrleansTracker.Grains.Interfaces.Routing;

/// <summary>
/// A consistent-hash ring over the active silos: which silo owns (activates) a torrent. Both the
/// placement of torrent grains and the frontends' routing read it, so a frontend knows where a
/// torrent lives without asking. Consistent, unlike modulo hashing: when a silo joins or leaves
/// only about 1/N of the torrents change owner. Each silo stands at <see cref="PointsPerSilo"/>
/// points derived from its endpoint (not its generation), so a restarted silo takes back the same
/// share.
/// </summary>
public sealed class OwnerRing<TSilo> where TSilo : notnull
{
    /// <summary>Enough points that silos' shares differ by about 10 % (1/√128).</summary>
    public const int PointsPerSilo = 128;

    private readonly ulong[] _points;
    private readonly TSilo[] _owners;

    public OwnerRing(IReadOnlyCollection<TSilo> silos, Func<TSilo, string> endpoint)
    {
        var entries = new List<(ulong Point, string Endpoint, TSilo Silo)>(silos.Count * PointsPerSilo);
        foreach (var silo in silos)
        {
            var name = endpoint(silo);
            for (var i = 0; i < PointsPerSilo; i++)
                entries.Add((Point(name, i), name, silo));
        }
        // Ties (astronomically rare) are broken by endpoint so every process builds the same ring.
        entries.Sort((a, b) => a.Point != b.Point ? a.Point.CompareTo(b.Point) : string.CompareOrdinal(a.Endpoint, b.Endpoint));
        _points = entries.Select(e => e.Point).ToArray();
        _owners = entries.Select(e => e.Silo).ToArray();
        Silos = silos.Count;
    }

    public int Silos { get; }

    /// <summary>The owner of <paramref name="hash"/>: the first point at or after its position, wrapping.</summary>
    public TSilo Owner(InfoHash hash) => OwnerAt(RingPosition.Of(hash));

    public TSilo OwnerAt(ulong position)
    {
        if (_points.Length == 0)
            throw new InvalidOperationException("the ring has no silos");
        var index = Array.BinarySearch(_points, position);
        if (index < 0)
            index = ~index;
        return _owners[index == _points.Length ? 0 : index];
    }

    private static ulong Point(string endpoint, int index) =>
        BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{endpoint}#{index}")));
}

/// <summary>Where a torrent stands on an <see cref="OwnerRing{TSilo}"/>.</summary>
public static class RingPosition
{
    /// <summary>A torrent's place on the ring: its first 8 bytes (an info hash is already uniform).</summary>
    public static ulong Of(InfoHash hash)
    {
        Span<byte> bytes = stackalloc byte[InfoHash.Length];
        hash.WriteTo(bytes);
        return BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }

    /// <summary>The same position from a grain key (40 hex digits).</summary>
    public static bool TryParse(ReadOnlySpan<char> hex, out ulong position) =>
        ulong.TryParse(hex[..Math.Min(16, hex.Length)], System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out position) && hex.Length >= 16;
}

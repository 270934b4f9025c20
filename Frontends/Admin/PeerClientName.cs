namespace OrleansTracker.Frontends.Admin;

/// <summary>
/// The client behind an Azureus-style peer id ("-qB4630-…": two letters, four version characters),
/// for the admin API's peer listing. Only well-known clients are named; others give null.
/// </summary>
public static class PeerClientName
{
    private static readonly Dictionary<string, string> Clients = new(StringComparer.Ordinal)
    {
        ["AZ"] = "Vuze", ["BC"] = "BitComet", ["BI"] = "BiglyBT", ["BT"] = "BitTorrent", ["DE"] = "Deluge",
        ["FD"] = "Free Download Manager", ["KT"] = "KTorrent", ["LT"] = "libtorrent (Rasterbar)", ["lt"] = "libTorrent (rakshasa)",
        ["OT"] = "OrleansTracker test client", ["PI"] = "PicoTorrent", ["qB"] = "qBittorrent", ["TR"] = "Transmission",
        ["TX"] = "Tixati", ["UM"] = "µTorrent for Mac", ["UT"] = "µTorrent", ["WW"] = "WebTorrent",
    };

    public static string? Of(ReadOnlySpan<byte> peerId)
    {
        if (peerId.Length < 8 || peerId[0] != (byte)'-' || peerId[7] != (byte)'-')
            return null;
        var code = new string([(char)peerId[1], (char)peerId[2]]);
        if (!Clients.TryGetValue(code, out var name))
            return null;
        var version = peerId[3..7];
        foreach (var b in version)
        {
            if (!char.IsAsciiLetterOrDigit((char)b))
                return name;
        }
        // Most clients write one version part per character (qB4630 → 4.6.3.0); trailing zeros dropped.
        var parts = new List<string>(4);
        foreach (var b in version)
            parts.Add(char.IsAsciiDigit((char)b) ? ((char)b).ToString() : (b - 'A' + 10).ToString(System.Globalization.CultureInfo.InvariantCulture));
        while (parts.Count > 2 && parts[^1] == "0")
            parts.RemoveAt(parts.Count - 1);
        return $"{name} {string.Join('.', parts)}";
    }
}

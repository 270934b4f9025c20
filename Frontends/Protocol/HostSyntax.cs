namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// The Host values <see cref="HostHeaderScrubber"/> leaves alone: empty, a name or IPv4 address of
/// letters, digits, '-', '.', '_' and '~', or an IPv6 literal in brackets, each with an optional
/// ":port" of digits (RFC 9110 §7.2, RFC 3986 §3.2.2). Deliberately narrower than what Kestrel
/// accepts, so that nothing passed on here is refused there; what is refused here is blanked, never
/// refused, so narrowness costs no client its answer.
/// </summary>
public static class HostSyntax
{
    public static bool IsValid(ReadOnlySpan<byte> host)
    {
        if (host.IsEmpty)
            return true;
        int end;
        if (host[0] == (byte)'[')
        {
            end = host.IndexOf((byte)']');
            // "[::1]" is the shortest IPv6 literal.
            if (end < 4 || !IsIPv6Literal(host[1..end]))
                return false;
            end++;
        }
        else
        {
            end = host.IndexOf((byte)':');
            if (end < 0)
                end = host.Length;
            if (end == 0 || !IsName(host[..end]))
                return false;
        }
        return end == host.Length || IsPort(host[end..]);
    }

    private static bool IsIPv6Literal(ReadOnlySpan<byte> inside)
    {
        foreach (var c in inside)
        {
            if (!char.IsAsciiHexDigit((char)c) && c != (byte)':' && c != (byte)'.')
                return false;
        }
        return true;
    }

    private static bool IsName(ReadOnlySpan<byte> name)
    {
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit((char)c) && c is not ((byte)'-' or (byte)'.' or (byte)'_' or (byte)'~'))
                return false;
        }
        return true;
    }

    /// <summary>":" and at least one digit.</summary>
    private static bool IsPort(ReadOnlySpan<byte> port)
    {
        if (port.Length < 2 || port[0] != (byte)':')
            return false;
        foreach (var c in port[1..])
        {
            if (!char.IsAsciiDigit((char)c))
                return false;
        }
        return true;
    }
}

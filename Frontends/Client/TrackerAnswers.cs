using System.Net;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Client;

/// <summary>What a tracker answered to an announce, whatever the protocol.</summary>
/// <param name="MinInterval">HTTP only ("min interval"); null when absent or over UDP.</param>
/// <param name="Seeders">BEP 3's "complete"; null when an HTTP tracker leaves it out.</param>
/// <param name="Leechers">BEP 3's "incomplete"; null when an HTTP tracker leaves it out.</param>
/// <param name="Peers">Addresses of other peers; always empty over WebSocket (peers meet through WebRTC offers there).</param>
/// <param name="Warning">HTTP's "warning message", when sent.</param>
public sealed record AnnounceAnswer(int Interval, int? MinInterval, int? Seeders, int? Leechers, IReadOnlyList<IPEndPoint> Peers, string? Warning = null);

/// <summary>What a tracker answered to a scrape: one entry per asked hash it reported on.</summary>
public sealed record ScrapeAnswer(IReadOnlyList<ScrapeEntry> Files);

public sealed record ScrapeEntry(InfoHash InfoHash, SwarmCounts Counts);

/// <summary>The tracker answered with a failure (BEP 15 error, HTTP <c>failure reason</c>): it works, and said no.</summary>
public sealed class TrackerFailureException(string message) : Exception(message)
{
    public TrackerFailureException()
        : this("the tracker answered with a failure")
    {
    }

    public TrackerFailureException(string message, Exception innerException)
        : this(message) => _ = innerException;
}

/// <summary>The tracker's answer could not be understood (or none came in time).</summary>
public sealed class TrackerProtocolException(string message) : Exception(message)
{
    /// <summary>
    /// What went wrong underneath a transport's wrapper ("The SSL connection could not be
    /// established, see inner exception" says nothing): the innermost message, with the way out
    /// for a certificate that does not validate.
    /// </summary>
    public static string Cause(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var innermost = e;
        while (innermost.InnerException is not null)
            innermost = innermost.InnerException;
        return innermost is System.Security.Authentication.AuthenticationException
            ? $"{innermost.Message} (--insecure accepts a certificate that does not validate)"
            : innermost.Message;
    }

    public TrackerProtocolException()
        : this("the tracker's answer could not be read")
    {
    }

    public TrackerProtocolException(string message, Exception innerException)
        : this(message) => _ = innerException;
}

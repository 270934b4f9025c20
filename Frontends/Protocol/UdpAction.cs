namespace OrleansTracker.Frontends.Protocol;

/// <summary>The BEP 15 action field: the 32-bit word after the connection id in every packet.</summary>
public enum UdpAction
{
    Connect = 0,
    Announce = 1,
    Scrape = 2,
    /// <summary>Only trackers send it; a client packet with this action is dropped.</summary>
    Error = 3,
}

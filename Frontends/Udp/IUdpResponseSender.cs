namespace OrleansTracker.Frontends.Udp;

/// <summary>Where finished responses go: sent at once (portable path) or queued for a batched sendmmsg.</summary>
internal interface IUdpResponseSender
{
    /// <summary>
    /// Sends <paramref name="length"/> bytes of <paramref name="scratch"/>'s response to the address
    /// it came from (0 = no response) and then returns the scratch to its pool: the scratch stays
    /// rented, and so counts as in flight, until its response has left.
    /// </summary>
    void Send(UdpScratch scratch, int length);
}

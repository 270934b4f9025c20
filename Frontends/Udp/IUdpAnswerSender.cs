namespace OrleansTracker.Frontends.Udp;

/// <summary>Where finished answers go: sent at once (portable path) or queued for a batched sendmmsg.</summary>
internal interface IUdpAnswerSender
{
    /// <summary>
    /// Sends <paramref name="length"/> bytes of <paramref name="scratch"/>'s response to the address
    /// it came from (0 = no answer) and then returns the scratch to its pool: the scratch stays
    /// rented, and so counts as in flight, until its answer has left.
    /// </summary>
    void Send(UdpScratch scratch, int length);
}

namespace OrleansTracker.Frontends.Routing;

/// <summary>
/// A receive loop that handles several datagrams in one go (recvmmsg) opens a batch around them:
/// announces for other silos queue until it closes, then each owner's leave in one message.
/// </summary>
internal static class RoutingBatch
{
    [ThreadStatic] private static List<OwnerChannel>? _deferred;
    [ThreadStatic] private static bool _open;

    public static void Open()
    {
        _deferred ??= new List<OwnerChannel>(8);
        _open = true;
    }

    /// <summary>True when a batch is open on this thread: it will flush <paramref name="channel"/> on close.</summary>
    public static bool Defer(OwnerChannel channel)
    {
        if (!_open)
            return false;
        _deferred!.Add(channel);
        return true;
    }

    public static void Close()
    {
        _open = false;
        var deferred = _deferred;
        if (deferred is null)
            return;
        for (var i = 0; i < deferred.Count; i++)
            deferred[i].Flush();
        deferred.Clear();
    }
}

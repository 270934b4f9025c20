using System.Diagnostics;
using System.Globalization;
using OrleansTracker.Bench.WsLoad;

// wsload: a bounded WebTorrent tracker load on loopback (bench/ws-bench.sh runs it).
//   wsload load URL CONNECTIONS TORRENTS OFFERS SECONDS   closed loop: every connection announces
//       with OFFERS offers, waits for its answer, announces again, until SECONDS are up; prints
//       announces/s and relayed offers received/s.
//   wsload idle URL CONNECTIONS TORRENTS SECONDS          every connection announces once and stays
//       open (idle) for SECONDS: the script reads the tracker's memory meanwhile.
if (args.Length < 5)
{
    Console.Error.WriteLine("usage: wsload load URL CONNECTIONS TORRENTS OFFERS SECONDS | wsload idle URL CONNECTIONS TORRENTS SECONDS");
    return 2;
}
var url = new Uri(args[1]);
if (!url.IsLoopback)
{
    Console.Error.WriteLine("wsload only loads trackers on loopback");
    return 2;
}
var connections = int.Parse(args[2], CultureInfo.InvariantCulture);
var torrents = int.Parse(args[3], CultureInfo.InvariantCulture);
var idle = args[0] == "idle";
var offers = idle ? 0 : int.Parse(args[4], CultureInfo.InvariantCulture);
var seconds = int.Parse(args[idle ? 4 : 5], CultureInfo.InvariantCulture);

var peers = new LoadPeer[connections];
var connect = Stopwatch.StartNew();
using (var gate = new SemaphoreSlim(64))
{
    await Task.WhenAll(Enumerable.Range(0, connections).Select(async i =>
    {
        await gate.WaitAsync();
        try
        {
            peers[i] = await LoadPeer.ConnectAsync(url, i, i % torrents);
        }
        finally
        {
            gate.Release();
        }
    }));
}
// Everyone joins its swarm once (no offers) so the timed announces have peers to offer to.
await Task.WhenAll(peers.Select(p => p.JoinAsync()));
Console.Error.WriteLine($"wsload: {connections} connections joined {torrents} torrents in {connect.Elapsed.TotalSeconds:0.0} s");
if (idle)
{
    Console.WriteLine($"IDLE connections={connections}");
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    await Task.WhenAll(peers.Select(p => p.CloseAsync()));
    return 0;
}

var clock = Stopwatch.StartNew();
var deadline = TimeSpan.FromSeconds(seconds);
await Task.WhenAll(peers.Select(p => p.RunAsync(offers, clock, deadline)));
var elapsed = clock.Elapsed.TotalSeconds;
var announces = peers.Sum(p => p.Announces);
var relayed = peers.Sum(p => p.OffersReceived);
var failures = peers.Sum(p => p.Failures);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT announces={announces} announces_per_s={announces / elapsed:0} offers_received={relayed} offers_per_s={relayed / elapsed:0} failures={failures} seconds={elapsed:0.0}"));
await Task.WhenAll(peers.Select(p => p.CloseAsync()));
return failures == 0 ? 0 : 1;

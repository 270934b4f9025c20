using Microsoft.Extensions.Options;
using OrleansTracker.Frontends.Access;
using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Logic;

/// <summary>
/// The tracker's rules between the wire and the swarms (see <see cref="ITrackerLogic"/>): access
/// policy first, so a client without a key learns about the key; then the client's address; then
/// one call to the torrent's swarm.
/// </summary>
public sealed class TrackerLogic : ITrackerLogic
{
    private readonly ITorrentCalls _torrents;
    private readonly AccessPolicy _access;
    private readonly ClientAddress _addresses;
    private readonly AnnounceRateLimit _rate;
    private readonly TrackerStatistics? _statistics;

    /// <summary>Private modes only: UDP senders that announced with a valid key, whose scrapes get counts.</summary>
    private readonly KeyedSenders? _keyedSenders;

    public TrackerLogic(ITorrentCalls torrents, IOptions<FrontendOptions> options, AccessPolicy access,
        TrackerStatistics? statistics = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(access);
        _torrents = torrents;
        _access = access;
        _addresses = new ClientAddress(options.Value);
        _keyedSenders = access.RequiresKey ? new KeyedSenders() : null;
        _rate = new AnnounceRateLimit(options.Value.AnnouncesPerAddressPerMinute, clock ?? TimeProvider.System);
        _statistics = statistics;
    }

    public bool RequiresKey => _access.RequiresKey;

    public AnnounceCall Announce(in AnnounceInput input)
    {
        var refusal = Admit(input.InfoHash, input.Key, input.Client, out var client);
        if (refusal != Refusal.None)
            return AnnounceCall.Refused(refusal);
        // After the address is known (behind a proxy, the forwarded one), before the swarm: a
        // refused announce costs no grain call.
        if (!_rate.TryAdmit(client))
        {
            _statistics?.AnnounceRateLimited();
            return AnnounceCall.Refused(Refusal.AnnounceRateExceeded);
        }
        var peer = client.WithPort(input.Port);
        var request = new AnnounceRequest(
            input.PeerId, peer, input.Uploaded, input.Downloaded, input.Left, input.Event, input.NumWant, input.Families, input.IncludePeerIds);
        return AnnounceCall.Started(peer, _torrents.Announce(input.InfoHash, request));
    }

    public Refusal Admit(InfoHash hash, ReadOnlySpan<char> key, in ClientOrigin client, out PeerEndpoint address)
    {
        address = default;
        // A public tracker accepts a key in the path and ignores it, as Torrust does. The key first,
        // so a keyless client learns about the key.
        var refusal = _access.CheckKey(key, out var keyDigest);
        if (refusal == Refusal.None)
            refusal = _access.CheckTorrent(hash);
        if (refusal != Refusal.None)
            return refusal;
        if (!_addresses.TryResolve(client, out address))
            return Refusal.ClientAddressUnknown;
        // A UDP sender that announced with a valid key may scrape real counts (ScrapeKeyCheck).
        if (_keyedSenders is not null && client is { ConnectionId: not 0, Source: { } sender })
            _keyedSenders.Remember(sender, client.ConnectionId, keyDigest);
        return Refusal.None;
    }

    public ScrapeCall Scrape(in ScrapeInput input, ReadOnlyMemory<InfoHash> hashes, Memory<SwarmCounts> counts)
    {
        if (hashes.Length != counts.Length)
            throw new ArgumentException("one count per hash", nameof(counts));
        if (!_addresses.TryResolve(input.Client, out var client))
            return ScrapeCall.Refused(Refusal.ClientAddressUnknown);
        var keyCheck = ScrapeKeyCheck(input);
        return ScrapeCall.Started(client, ScrapeAll(hashes, counts, keyCheck));
    }

    /// <summary>
    /// A BEP 15 scrape has no room for URL data: over UDP it counts as keyed when its sender (address
    /// and verified connection id) announced with a key that is still valid; otherwise it reads zeros.
    /// </summary>
    private Refusal ScrapeKeyCheck(in ScrapeInput input)
    {
        if (input.Key.IsEmpty && _keyedSenders is not null && input.Client is { ConnectionId: not 0, Source: { } sender }
            && _keyedSenders.TryRecall(sender, input.Client.ConnectionId, out var digest))
            return _access.CheckKey(digest);
        return _access.CheckKey(input.Key);
    }

    private async ValueTask ScrapeAll(ReadOnlyMemory<InfoHash> hashes, Memory<SwarmCounts> counts, Refusal keyCheck)
    {
        if (hashes.Length == 1)
        {
            var single = await ScrapeOne(hashes.Span[0], keyCheck);
            counts.Span[0] = single;
            return;
        }
        // One call per distinct torrent: a scrape listing a hash twice must not race two calls
        // into one unknown torrent's activation, which leaves after each scrape.
        var calls = new Dictionary<InfoHash, Task<SwarmCounts>>(hashes.Length);
        var tasks = new Task<SwarmCounts>[hashes.Length];
        for (var i = 0; i < tasks.Length; i++)
        {
            var hash = hashes.Span[i];
            if (!calls.TryGetValue(hash, out var call))
                calls[hash] = call = ScrapeOne(hash, keyCheck).AsTask();
            tasks[i] = call;
        }
        var results = await Task.WhenAll(tasks);
        results.CopyTo(counts.Span);
    }

    /// <summary>A torrent the access policy hides reads as zeros without a grain call, so a scrape of junk hashes activates nothing.</summary>
    private ValueTask<SwarmCounts> ScrapeOne(InfoHash hash, Refusal keyCheck) =>
        keyCheck == Refusal.None && _access.CheckTorrent(hash) == Refusal.None
            ? _torrents.Scrape(hash)
            : ValueTask.FromResult(default(SwarmCounts));
}

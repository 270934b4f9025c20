using System.Net;
using Microsoft.Extensions.Options;
using OrleansTracker.Frontends;
using OrleansTracker.Frontends.Access;
using OrleansTracker.Frontends.Logic;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Logic;

/// <summary>
/// The seam's own rules, without Orleans: the access policy, the client's address (proxy and
/// external_ip, for announces and scrapes alike) and the request it builds for the swarm.
/// </summary>
public sealed class TrackerLogicTests
{
    private const string Key = "PERMANENTpermanent00000000000000";
    private static readonly InfoHash Listed = InfoHash.Read("llllllllllllllllllll"u8);
    private static readonly InfoHash Other = InfoHash.Read("oooooooooooooooooooo"u8);
    private static readonly PeerEndpoint Remote = At("198.51.100.7");

    private readonly RecordingTorrentCalls _torrents = new();

    private static PeerEndpoint At(string address, ushort port = 0) => PeerEndpoint.FromIPAddress(IPAddress.Parse(address), port);

    private TrackerLogic Logic(FrontendOptions options)
    {
        var wrapped = Options.Create(options);
        var access = new AccessPolicy(wrapped, new ManualClock());
        access.Update(new WhitelistSnapshot(1, [Listed]));
        access.Update(new KeySnapshot(1, [new AuthKeyEntry(Key, null)]));
        return new TrackerLogic(_torrents, wrapped, access);
    }

    private static AnnounceInput Input(ClientOrigin client, string key = "") => new()
    {
        InfoHash = Listed,
        PeerId = PeerId.Read("-qB4650-pppppppppppp"u8),
        Port = 6881,
        Uploaded = 1,
        Downloaded = 2,
        Left = 3,
        Event = AnnounceEvent.Completed,
        NumWant = 4,
        Client = client,
        Key = key,
        Families = PeerFamilies.IPv4,
        IncludePeerIds = true,
    };

    [Fact]
    public async Task an_admitted_announce_becomes_one_call_with_the_source_address_and_the_announced_port()
    {
        var call = Logic(new FrontendOptions()).Announce(Input(ClientOrigin.Datagram(At("198.51.100.7", 40000))));
        Assert.Equal(Refusal.None, call.Refusal);
        Assert.Same(RecordingTorrentCalls.Answer, await call.Result);
        var (hash, request) = Assert.Single(_torrents.Announces);
        Assert.Equal(Listed, hash);
        Assert.Equal(new AnnounceRequest(PeerId.Read("-qB4650-pppppppppppp"u8), At("198.51.100.7", 6881), 1, 2, 3, AnnounceEvent.Completed, 4, PeerFamilies.IPv4, true), request);
        Assert.Equal(At("198.51.100.7", 6881), call.Peer);
    }

    [Fact]
    public void the_key_is_checked_before_the_whitelist_and_a_refusal_makes_no_call()
    {
        var logic = Logic(new FrontendOptions { RequireKey = true, RequireWhitelist = true });
        Assert.Equal(Refusal.KeyMissing, logic.Announce(Input(ClientOrigin.Datagram(Remote)) with { InfoHash = Other }).Refusal);
        Assert.Equal(Refusal.NotWhitelisted, logic.Announce(Input(ClientOrigin.Datagram(Remote), Key) with { InfoHash = Other }).Refusal);
        Assert.Equal(Refusal.None, logic.Announce(Input(ClientOrigin.Datagram(Remote), Key)).Refusal);
        Assert.Single(_torrents.Announces);
    }

    [Fact]
    public void a_public_tracker_ignores_any_key()
    {
        var call = Logic(new FrontendOptions()).Announce(Input(ClientOrigin.Datagram(Remote), "not a key at all") with { InfoHash = Other });
        Assert.Equal(Refusal.None, call.Refusal);
    }

    [Fact]
    public void behind_a_proxy_http_takes_the_right_most_forwarded_address_for_announces_and_scrapes()
    {
        var logic = Logic(new FrontendOptions { OnReverseProxy = true });
        var http = ClientOrigin.Http(At("127.0.0.1"), "10.9.9.9, 203.0.113.9 ");
        Assert.Equal(At("203.0.113.9", 6881), logic.Announce(Input(http)).Peer);
        Assert.Equal(At("203.0.113.9"), logic.Scrape(new ScrapeInput { Client = http }, new[] { Listed }, new SwarmCounts[1]).Client);

        var missing = ClientOrigin.Http(At("127.0.0.1"), "");
        Assert.Equal(Refusal.ClientAddressUnknown, logic.Announce(Input(missing)).Refusal);
        Assert.Equal(Refusal.ClientAddressUnknown, logic.Scrape(new ScrapeInput { Client = missing }, new[] { Listed }, new SwarmCounts[1]).Refusal);
        Assert.Equal(Refusal.ClientAddressUnknown, logic.Announce(Input(ClientOrigin.Http(At("127.0.0.1"), "unknown"))).Refusal);
        Assert.Single(_torrents.Announces);
    }

    [Fact]
    public void udp_is_never_proxied_and_http_without_a_proxy_ignores_forwarded_for()
    {
        Assert.Equal(Remote.WithPort(6881), Logic(new FrontendOptions { OnReverseProxy = true }).Announce(Input(ClientOrigin.Datagram(Remote))).Peer);
        Assert.Equal(Remote.WithPort(6881), Logic(new FrontendOptions()).Announce(Input(ClientOrigin.Http(Remote, "203.0.113.9"))).Peer);
        Assert.Equal(Refusal.ClientAddressUnknown, Logic(new FrontendOptions()).Announce(Input(ClientOrigin.Http(null, ""))).Refusal);
    }

    [Fact]
    public void external_ip_replaces_a_loopback_client_only()
    {
        var logic = Logic(new FrontendOptions { ExternalIp = IPAddress.Parse("203.0.113.7") });
        Assert.Equal(At("203.0.113.7", 6881), logic.Announce(Input(ClientOrigin.Datagram(At("127.0.0.5", 999)))).Peer);
        Assert.Equal(At("203.0.113.7", 6881), logic.Announce(Input(ClientOrigin.Http(At("::1"), ""))).Peer);
        Assert.Equal(Remote.WithPort(6881), logic.Announce(Input(ClientOrigin.Datagram(Remote))).Peer);
    }

    [Fact]
    public async Task a_scrape_reads_hidden_torrents_as_zeros_without_a_call()
    {
        _torrents.Counts = new SwarmCounts(1, 2, 3);
        var counts = new SwarmCounts[3];
        var logic = Logic(new FrontendOptions { RequireWhitelist = true });
        await logic.Scrape(new ScrapeInput { Client = ClientOrigin.Datagram(Remote) }, new[] { Listed, Other, Listed }, counts).Completion;
        Assert.Equal([new SwarmCounts(1, 2, 3), default, new SwarmCounts(1, 2, 3)], counts);
        // One call per distinct torrent: the repeated hash is answered from the same call.
        Assert.Equal([Listed], _torrents.Scrapes);

        // A private tracker answers zeros to a scrape without a valid key (always, over UDP).
        var keyless = new SwarmCounts[1];
        await Logic(new FrontendOptions { RequireKey = true }).Scrape(new ScrapeInput { Client = ClientOrigin.Datagram(Remote) }, new[] { Listed }, keyless).Completion;
        Assert.Equal(default, keyless[0]);
        var keyed = new SwarmCounts[1];
        await Logic(new FrontendOptions { RequireKey = true }).Scrape(new ScrapeInput { Client = ClientOrigin.Http(Remote, ""), Key = Key }, new[] { Listed }, keyed).Completion;
        Assert.Equal(new SwarmCounts(1, 2, 3), keyed[0]);
    }

    /// <summary>
    /// A BEP 15 scrape carries no key: a private tracker answers it with counts when its sender
    /// (address and verified connection id) announced with a valid key, and zeros otherwise.
    /// </summary>
    [Fact]
    public async Task a_private_udp_scrape_gets_counts_only_from_a_sender_that_announced_with_a_valid_key()
    {
        _torrents.Counts = new SwarmCounts(1, 2, 3);
        var options = Options.Create(new FrontendOptions { RequireKey = true });
        var access = new AccessPolicy(options, new ManualClock());
        access.Update(new KeySnapshot(1, [new AuthKeyEntry(Key, null)]));
        var logic = new TrackerLogic(_torrents, options, access);
        // The seam's inputs are ref structs: start the call here, await it in the caller.
        SwarmCounts[] counts = [default];
        async Task<SwarmCounts> Completed(ScrapeCall call)
        {
            await call.Completion;
            return counts[0];
        }
        Task<SwarmCounts> Scrape(ClientOrigin client) => Completed(logic.Scrape(new ScrapeInput { Client = client }, new[] { Listed }, counts));

        Assert.Equal(default, await Scrape(ClientOrigin.Datagram(Remote, 42)));
        Assert.Equal(Refusal.KeyUnknown, logic.Announce(Input(ClientOrigin.Datagram(Remote, 42), "UNKNOWNunknown000000000000000000")).Refusal);
        Assert.Equal(default, await Scrape(ClientOrigin.Datagram(Remote, 42)));
        Assert.Equal(Refusal.None, logic.Announce(Input(ClientOrigin.Datagram(Remote, 42), Key)).Refusal);

        Assert.Equal(new SwarmCounts(1, 2, 3), await Scrape(ClientOrigin.Datagram(Remote.WithPort(7), 42)));
        Assert.Equal(default, await Scrape(ClientOrigin.Datagram(Remote, 43)));          // another connection id
        Assert.Equal(default, await Scrape(ClientOrigin.Datagram(At("198.51.100.8"), 42))); // another address
        Assert.Equal(default, await Scrape(ClientOrigin.Datagram(Remote)));               // no verified id at all
        Assert.Equal(default, await Scrape(ClientOrigin.Http(Remote, "")));               // HTTP: the key is in the path

        // The key is checked again at every scrape: revoked, the sender reads zeros at once.
        access.Update(new KeySnapshot(2, []));
        Assert.Equal(default, await Scrape(ClientOrigin.Datagram(Remote, 42)));
    }

    /// <summary>Records the calls the seam makes and answers them at once.</summary>
    private sealed class RecordingTorrentCalls : ITorrentCalls
    {
        public static readonly AnnounceResult Answer = new(1, 2, 3, [], [], []);

        public List<(InfoHash Hash, AnnounceRequest Request)> Announces { get; } = [];
        public List<InfoHash> Scrapes { get; } = [];
        public SwarmCounts Counts { get; set; }

        public ValueTask<AnnounceResult> Announce(InfoHash hash, in AnnounceRequest request)
        {
            Announces.Add((hash, request));
            return ValueTask.FromResult(Answer);
        }

        public ValueTask<SwarmCounts> Scrape(InfoHash hash)
        {
            Scrapes.Add(hash);
            return ValueTask.FromResult(Counts);
        }
    }
}

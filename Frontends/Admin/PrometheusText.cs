using System.Globalization;
using System.Text;
using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Admin;

/// <summary>
/// The statistics in Prometheus' text exposition format (version 0.0.4): Torrust's sixteen values
/// under their Torrust names, then this silo's announce routing counters and its request latency
/// histograms.
/// </summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(SwarmTotals swarms, ProtocolCounters requests, TrackerStatistics local, RoutingSnapshot routing)
    {
        var text = new StringBuilder(4096);
        Gauge(text, "torrents", "Torrents in memory with peers.", swarms.Torrents);
        Gauge(text, "seeders", "Seeders of the torrents in memory.", swarms.Seeders);
        Gauge(text, "completed", "Completed downloads of the torrents in memory.", swarms.Completed);
        Gauge(text, "leechers", "Leechers of the torrents in memory.", swarms.Leechers);
        var json = StatsJson.From(swarms, requests, routing);
        foreach (var (family, connections, announces, scrapes) in new[]
                 {
                     ("tcp4", json.Tcp4ConnectionsHandled, json.Tcp4AnnouncesHandled, json.Tcp4ScrapesHandled),
                     ("tcp6", json.Tcp6ConnectionsHandled, json.Tcp6AnnouncesHandled, json.Tcp6ScrapesHandled),
                     ("udp4", json.Udp4ConnectionsHandled, json.Udp4AnnouncesHandled, json.Udp4ScrapesHandled),
                     ("udp6", json.Udp6ConnectionsHandled, json.Udp6AnnouncesHandled, json.Udp6ScrapesHandled),
                     ("ws4", json.Ws4ConnectionsHandled, json.Ws4AnnouncesHandled, json.Ws4ScrapesHandled),
                     ("ws6", json.Ws6ConnectionsHandled, json.Ws6AnnouncesHandled, json.Ws6ScrapesHandled),
                 })
        {
            var what = family[..2] switch { "tc" => "HTTP requests", "ud" => "UDP connects", _ => "WebSocket connections" };
            Counter(text, $"{family}_connections_handled", $"{what} handled over {family}, cluster-wide.", connections);
            Counter(text, $"{family}_announces_handled", $"Announces handled over {family}, cluster-wide.", announces);
            Counter(text, $"{family}_scrapes_handled", $"Scrapes handled over {family}, cluster-wide.", scrapes);
        }

        Counter(text, "swarms_evicted", "Swarms evicted from memory by max_swarms_per_silo or max_peers_per_silo, cluster-wide.", requests.SwarmsEvicted);
        Counter(text, "peers_evicted", "Peers evicted from swarms by max_peers_per_swarm, cluster-wide.", requests.PeersEvicted);
        Counter(text, "torrents_unlisted", "Idle torrents dropped from the in-memory torrent list by max_idle_torrents_listed (their completed counts stay stored), cluster-wide.", requests.TorrentsUnlisted);
        Counter(text, "announces_rate_limited", "Announces refused by announces_per_address_per_minute, cluster-wide.", requests.AnnouncesRateLimited);
        Counter(text, "peers_per_address_refused", "Announces refused by peers_per_address_per_swarm, cluster-wide.", requests.PeersPerAddressRefused);

        Counter(text, "ws_offers_relayed", "WebRTC offers and answers relayed to WebSocket peers, cluster-wide.", requests.WsRelayed);
        Counter(text, "ws_offers_dropped", "WebRTC offers and answers dropped because their WebSocket peer had gone, cluster-wide.", requests.WsDropped);

        Counter(text, "announces_local", "Announces this silo received for torrents it owns.", routing.AnnouncesLocal);
        Counter(text, "announces_remote", "Announces this silo received for torrents another silo owns.", routing.AnnouncesRemote);
        Counter(text, "remote_batches", "Messages that carried this silo's remote announces to their owners.", routing.RemoteBatches);
        Counter(text, "announces_batched", "Remote announces this silo sent in those batches.", routing.AnnouncesBatched);

        const string histogram = "tracker_request_duration_seconds";
        text.Append("# HELP ").Append(histogram).Append(" Time from reading a request to its response, in this process.\n");
        text.Append("# TYPE ").Append(histogram).Append(" histogram\n");
        Histogram(text, histogram, "udp", "announce", local.UdpAnnounceLatency);
        Histogram(text, histogram, "udp", "scrape", local.UdpScrapeLatency);
        Histogram(text, histogram, "http", "announce", local.HttpAnnounceLatency);
        Histogram(text, histogram, "http", "scrape", local.HttpScrapeLatency);
        return text.ToString();
    }

    private static void Gauge(StringBuilder text, string name, string help, long value) => Metric(text, name, help, "gauge", value);

    private static void Counter(StringBuilder text, string name, string help, long value) => Metric(text, name, help, "counter", value);

    private static void Metric(StringBuilder text, string name, string help, string type, long value) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n')
            .Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static void Histogram(StringBuilder text, string name, string protocol, string request, LatencyHistogram histogram)
    {
        var labels = $"protocol=\"{protocol}\",request=\"{request}\"";
        var cumulative = histogram.CumulativeBuckets();
        for (var i = 0; i < cumulative.Length; i++)
        {
            var bound = i < LatencyHistogram.Bounds.Length ? LatencyHistogram.Bounds[i].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
            text.Append(name).Append("_bucket{").Append(labels).Append(",le=\"").Append(bound).Append("\"} ")
                .Append(cumulative[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        // The +Inf bucket is the count; read once so the two lines agree.
        text.Append(name).Append("_sum{").Append(labels).Append("} ").Append(histogram.SumSeconds.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        text.Append(name).Append("_count{").Append(labels).Append("} ").Append(cumulative[^1].ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}

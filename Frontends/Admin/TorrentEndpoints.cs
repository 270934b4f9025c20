using Microsoft.AspNetCore.Http;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Admin;

/// <summary>GET /api/v1/torrent/{info_hash} and GET /api/v1/torrents?offset&amp;limit&amp;info_hash.</summary>
internal sealed class TorrentEndpoints(IGrainFactory grains, TorrentPager pager)
{
    /// <summary>Torrust's default and maximum page size.</summary>
    public const int MaxLimit = 4000;

    public async Task Torrent(HttpContext context)
    {
        var hash = AdminInput.InfoHash(AdminInput.Route(context, "info_hash"));
        var details = await grains.GetGrain<ITorrentGrain>(TorrentKeys.For(hash)).Details();
        if (details.Peers.Length == 0 && details.Counts.Completed == 0)
        {
            await AdminResponses.Error(context, StatusCodes.Status404NotFound, "torrent not known");
            return;
        }
        await AdminResponses.Json(context, TorrentJson.From(hash, details), AdminJsonContext.Default.TorrentJson);
    }

    public async Task Torrents(HttpContext context)
    {
        var offset = AdminInput.QueryInt(context, "offset", 0, int.MaxValue - MaxLimit);
        var limit = AdminInput.QueryInt(context, "limit", MaxLimit, MaxLimit);
        var requested = context.Request.Query["info_hash"];
        IEnumerable<TorrentListEntry> rows;
        if (requested.Count > 0)
        {
            if (requested.Count > MaxLimit)
                throw new AdminRequestException($"at most {MaxLimit} info_hash values per request");
            var hashes = requested.Select(h => AdminInput.InfoHash(h ?? "")).Distinct().Order().ToArray();
            var counts = await Task.WhenAll(hashes.Select(h => grains.GetGrain<ITorrentGrain>(TorrentKeys.For(h)).Scrape().AsTask()));
            rows = hashes.Zip(counts, (h, c) => new TorrentListEntry(h, c))
                .Where(e => e.Counts.Seeders + e.Counts.Leechers > 0 || e.Counts.Completed > 0);
        }
        else
        {
            rows = await pager.Page(offset, limit);
        }
        var json = rows.Select(e => TorrentListItemJson.From(e.InfoHash, e.Counts)).ToArray();
        await AdminResponses.Json(context, json, AdminJsonContext.Default.TorrentListItemJsonArray);
    }
}

using System.Buffers;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using OrleansTracker.Frontends.Protocol.WebSocket;
using OrleansTracker.Frontends.Logic;
using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Interfaces.WebSockets;

namespace OrleansTracker.Frontends.WebSocket;

public sealed partial class WebSocketTrackerHandler
{
    /// <summary>
    /// Handles one text message; false when the connection was closed for passing a limit. A grain
    /// call that fails (a silo just died, the cluster is shutting down) is answered with a failure
    /// reason: the client retries at its next announce, and its connection stays.
    /// </summary>
    private async Task<bool> Handle(WebSocketPeerConnection connection, ReadOnlyMemory<byte> frame)
    {
        try
        {
            return await HandleMessage(connection, frame);
        }
        catch (Exception e) when (e is not OutOfMemoryException && connection.Socket.State == WebSocketState.Open)
        {
            logger.LogDebug(e, "WebSocket request failed");
            Fail(connection, "tracker temporarily unavailable, retry later");
            return true;
        }
    }

    /// <summary>
    /// The parser's scratch (offers, and up to max_scrape_hashes hashes: 6 KB at 300) is rented for
    /// the message and returned once it is handled; every use of it is awaited before then.
    /// </summary>
    private async Task<bool> HandleMessage(WebSocketPeerConnection connection, ReadOnlyMemory<byte> frame)
    {
        var offers = ArrayPool<WebSocketOffer>.Shared.Rent(options.MaxOffersPerAnnounce);
        var hashes = ArrayPool<InfoHash>.Shared.Rent(options.MaxScrapeHashes);
        try
        {
            return await HandleParsed(connection, frame, offers.AsMemory(0, options.MaxOffersPerAnnounce), hashes.AsMemory(0, options.MaxScrapeHashes));
        }
        finally
        {
            ArrayPool<WebSocketOffer>.Shared.Return(offers);
            ArrayPool<InfoHash>.Shared.Return(hashes);
        }
    }

    private async Task<bool> HandleParsed(WebSocketPeerConnection connection, ReadOnlyMemory<byte> frame, Memory<WebSocketOffer> offers, Memory<InfoHash> hashes)
    {
        if (!WebSocketRequestParser.TryParse(frame.Span, offers.Span, hashes.Span, out var request, out var error))
        {
            if (error == WebSocketParseError.TooManyOffers)
            {
                await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, $"more than {options.MaxOffersPerAnnounce} offers in one announce");
                return false;
            }
            // No action or hash to name: npm's client takes this as a broken connection and reconnects later.
            Fail(connection, error.Reason());
            return true;
        }
        if (request.Action == WebSocketAction.Scrape)
        {
            await Scrape(connection, hashes[..request.InfoHashCount]);
            return true;
        }
        // The seam's rules, as for UDP and HTTP: access policy, then the client's address.
        var refusal = logic.Admit(request.InfoHash, connection.Key, Origin(connection), out var address);
        if (refusal != Refusal.None)
        {
            Fail(connection, RefusalMessages.Text(refusal), WebSocketAction.Announce, request.InfoHash);
            return true;
        }
        if (request.HasAnswer)
        {
            await RelayAnswer(request, frame);
            return true;
        }
        return await Announce(connection, request, address.WithPort(connection.Remote.Port), offers[..request.OfferCount], frame);
    }

    private async Task<bool> Announce(
        WebSocketPeerConnection connection, WebSocketRequest request, PeerEndpoint peer, ReadOnlyMemory<WebSocketOffer> offers, ReadOnlyMemory<byte> frame)
    {
        if (request.Event != AnnounceEvent.Stopped && !connection.Join(request.InfoHash, request.PeerId))
        {
            await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, $"more than {options.MaxTorrentsPerConnection} torrents on one connection");
            return false;
        }
        var wanted = request.NumWant >= 0 ? Math.Min(request.NumWant, offers.Length) : offers.Length;
        var self = new WebSocketConnection(relay.LocalSilo, connection.Id);
        var announce = new WebSocketAnnounce(request.PeerId, self, peer, request.Uploaded, request.Downloaded,
            request.Left, request.Event, wanted);
        var result = await torrents.WebSocketSwarm(request.InfoHash).AnnounceWebSocket(announce);
        statistics.Announced(connection.IsIPv4);
        if (request.Event == AnnounceEvent.Stopped)
            connection.Leave(request.InfoHash, request.PeerId);
        if (result.Refused is { } refused)
        {
            if (request.Event != AnnounceEvent.Stopped)
                connection.Leave(request.InfoHash, request.PeerId);
            Fail(connection, refused, WebSocketAction.Announce, request.InfoHash);
            return true;
        }
        var scratch = OutgoingMessage.Rent(WebSocketResponseWriter.MaxAnnounceLength);
        var length = WebSocketResponseWriter.WriteAnnounce(scratch, request.InfoHash, options.AnnounceIntervalSeconds, result.Seeders, result.Leechers);
        connection.Enqueue(OutgoingMessage.Take(scratch, length));
        RelayOffers(request, offers.Span, frame.Span, result.Targets);
        return true;
    }

    /// <summary>Offer i goes to target i: on this silo straight into its socket's queue, elsewhere in one message per silo.</summary>
    private void RelayOffers(in WebSocketRequest request, ReadOnlySpan<WebSocketOffer> offers, ReadOnlySpan<byte> frame, WebSocketTarget[] targets)
    {
        Dictionary<Orleans.Runtime.SiloAddress, List<WebSocketDelivery>>? remote = null;
        for (var i = 0; i < targets.Length && i < offers.Length; i++)
        {
            var offer = offers[i];
            var scratch = OutgoingMessage.Rent(WebSocketResponseWriter.MaxRelayLength(offer.Length));
            var message = OutgoingMessage.Take(scratch, WebSocketResponseWriter.WriteOffer(scratch, request.InfoHash, request.PeerId, offer.OfferId, offer.Json(frame)));
            var target = targets[i].Connection;
            if (target.Silo.Equals(relay.LocalSilo))
                connections.Deliver(target.Id, message);
            else
                ((remote ??= [])
                    .TryGetValue(target.Silo, out var batch) ? batch : remote[target.Silo] = [])
                    .Add(new WebSocketDelivery(target.Id, message));
        }
        if (remote is not null)
            SendRemote(remote);
    }

    private async Task RelayAnswer(WebSocketRequest request, ReadOnlyMemory<byte> frame)
    {
        var target = await torrents.WebSocketSwarm(request.InfoHash).LocateWebSocketPeer(request.ToPeerId);
        if (target is not { } to)
        {
            statistics.Drop();   // the peer that made the offer has gone
            return;
        }
        var scratch = OutgoingMessage.Rent(WebSocketResponseWriter.MaxRelayLength(request.AnswerLength));
        var message = OutgoingMessage.Take(scratch, WebSocketResponseWriter.WriteAnswer(scratch, request.InfoHash, request.PeerId, request.AnswerOfferId, request.AnswerJson(frame.Span)));
        if (to.Silo.Equals(relay.LocalSilo))
            connections.Deliver(to.Id, message);
        else
            SendRemote(new() { [to.Silo] = [new WebSocketDelivery(to.Id, message)] });
    }

    private void SendRemote(Dictionary<Orleans.Runtime.SiloAddress, List<WebSocketDelivery>> bySilo)
    {
        foreach (var (silo, batch) in bySilo)
        {
            if (relay.IsGone(silo))
            {
                statistics.Drop(batch.Count);
                continue;
            }
            relay.Send(silo, [.. batch]);
        }
    }

    private async Task Scrape(WebSocketPeerConnection connection, ReadOnlyMemory<InfoHash> hashes)
    {
        var counts = new SwarmCounts[hashes.Length];
        // As for HTTP: a torrent the client may not see scrapes as zeros, never an error.
        var call = logic.Scrape(new ScrapeInput { Client = Origin(connection), Key = connection.Key }, hashes, counts);
        if (call.Refusal != Refusal.None)
        {
            Fail(connection, RefusalMessages.Text(call.Refusal), WebSocketAction.Scrape);
            return;
        }
        await call.Completion;
        statistics.Scraped(connection.IsIPv4);
        var scratch = OutgoingMessage.Rent(WebSocketResponseWriter.MaxScrapeLength(hashes.Length));
        connection.Enqueue(OutgoingMessage.Take(scratch, WebSocketResponseWriter.WriteScrape(scratch, hashes.Span, counts)));
    }

    /// <summary>An upgraded HTTP request: behind a reverse proxy its forwarded address counts (the seam's rule).</summary>
    private static ClientOrigin Origin(WebSocketPeerConnection connection) =>
        ClientOrigin.Http(connection.Remote, connection.ForwardedFor);

    private static void Fail(WebSocketPeerConnection connection, string reason, WebSocketAction action = WebSocketAction.None, InfoHash? hash = null)
    {
        var scratch = OutgoingMessage.Rent(WebSocketResponseWriter.MaxFailureLength(reason));
        connection.Enqueue(OutgoingMessage.Take(scratch, WebSocketResponseWriter.WriteFailure(scratch, reason, action, hash)));
    }
}

using OrleansTracker.Frontends.Protocol.WebSocket;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Protocol.WebSocket;

/// <summary>
/// Parsing a well-formed message and writing every response allocate nothing per call. Counted,
/// not timed, in the least of several windows (ThreadAllocations), as CodecAllocationTests: the
/// bound, under one byte a call, is exceeded in every window by any real per-call allocation.
/// </summary>
public sealed class WebSocketCodecAllocationTests
{
    private const int Calls = 2_000;

    [Fact]
    public void parsing_a_real_announce_with_offers_and_writing_the_messages_allocates_nothing()
    {
        var announce = NpmFrames.Client(1, m => m.Text("event") == "started").Bytes;
        var answer = NpmFrames.Client(2, m => m.Has("answer")).Bytes;
        var offers = new WebSocketOffer[8];
        var hashes = new InfoHash[8];
        var output = new byte[16 * 1024];
        var counts = new SwarmCounts[] { new(1, 2, 3) };
        int Run()
        {
            WebSocketRequestParser.TryParse(announce, offers, hashes, out var request, out _);
            var total = WebSocketResponseWriter.WriteAnnounce(output, request.InfoHash, 120, 3, 4);
            total += WebSocketResponseWriter.WriteOffer(output, request.InfoHash, request.PeerId, offers[0].OfferId, offers[0].Json(announce));
            WebSocketRequestParser.TryParse(answer, offers, hashes, out request, out _);
            total += WebSocketResponseWriter.WriteAnswer(output, request.InfoHash, request.PeerId, request.AnswerOfferId, request.AnswerJson(answer));
            total += WebSocketResponseWriter.WriteScrape(output, hashes.AsSpan(0, 1), counts);
            return total + WebSocketResponseWriter.WriteFailure(output, "invalid info_hash", WebSocketAction.Announce, request.InfoHash);
        }
        var check = 0;
        for (var i = 0; i < 100; i++)
            check += Run();
        ThreadAllocations.AssertNothingPerCall(Calls, () => check += Run());
        Assert.NotEqual(0, check);
    }
}

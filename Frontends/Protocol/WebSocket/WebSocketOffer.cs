using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol.WebSocket;

/// <summary>
/// One entry of an announce's <c>offers</c>: the offer id, and where the offer (a JSON object,
/// normally <c>{"type":"offer","sdp":"…"}</c>) lies in the frame. The tracker never looks inside
/// the offer: it relays those bytes as they came, already checked to be well-formed JSON.
/// </summary>
public readonly record struct WebSocketOffer(Bytes20 OfferId, int Start, int Length)
{
    public ReadOnlySpan<byte> Json(ReadOnlySpan<byte> frame) => frame.Slice(Start, Length);
}

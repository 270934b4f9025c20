using System.Text.Json;
using System.Text.Unicode;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol.WebSocket;

/// <summary>
/// Parses one WebTorrent tracker message (a text frame holding a JSON object), as npm
/// bittorrent-tracker's client sends them: <c>announce</c> (with <c>offers</c>, or with an
/// <c>answer</c> to another peer's offer) and <c>scrape</c> (one hash or a list). Fields may come in
/// any order; unknown fields are skipped; for a repeated field the last one counts (as JSON.parse).
/// </summary>
/// <remarks>
/// System.Text.Json's reader throws on malformed JSON: that exception is the one cost a bad frame
/// can cause, and the frontend's per-connection message rate bounds it. A well-formed frame parses
/// without exceptions or allocations.
/// </remarks>
public static partial class WebSocketRequestParser
{
    /// <summary>Objects inside objects: root, offers, an offer entry, the offer, and a little room inside it.</summary>
    public const int MaxDepth = 8;

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <param name="frame">The whole text frame, UTF-8.</param>
    /// <param name="offers">Receives the offers; more offers than it holds is <see cref="WebSocketParseError.TooManyOffers"/>.</param>
    /// <param name="infoHashes">Receives a scrape's hashes; more than it holds is <see cref="WebSocketParseError.TooManyInfoHashes"/>.</param>
    public static bool TryParse(
        ReadOnlySpan<byte> frame,
        Span<WebSocketOffer> offers,
        Span<InfoHash> infoHashes,
        out WebSocketRequest request,
        out WebSocketParseError error)
    {
        request = default;
        // The reader does not check the UTF-8 inside strings it skips, and offers and answers are
        // relayed as they came: a text frame that is not UTF-8 would make the receiving browser
        // drop its tracker connection.
        if (!Utf8.IsValid(frame))
        {
            error = WebSocketParseError.MalformedJson;
            return false;
        }
        var fields = new Fields { NumWant = -1, Left = WebSocketRequest.UnknownLeft };
        try
        {
            var reader = new Utf8JsonReader(frame, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = WebSocketParseError.NotAnObject;
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                error = ReadField(ref reader, ref fields, offers, infoHashes);
                if (error != WebSocketParseError.None)
                    return false;
            }
            // Anything after the root object makes the reader throw (one value per frame).
            while (reader.Read())
            {
            }
        }
        catch (JsonException)
        {
            error = WebSocketParseError.MalformedJson;
            return false;
        }
        catch (InvalidOperationException)
        {
            // A string that is not valid UTF-8 once unescaped.
            error = WebSocketParseError.MalformedJson;
            return false;
        }
        return Build(in fields, out request, out error);
    }

    private static bool Build(in Fields fields, out WebSocketRequest request, out WebSocketParseError error)
    {
        request = default;
        error = WebSocketParseError.None;
        switch (fields.Action)
        {
            case WebSocketAction.None:
                error = fields.UnknownAction ? WebSocketParseError.UnknownAction : WebSocketParseError.MissingAction;
                return false;
            case WebSocketAction.Scrape:
                if (fields.InfoHashCount == 0)
                {
                    error = WebSocketParseError.BadInfoHash;
                    return false;
                }
                request = new WebSocketRequest { Action = WebSocketAction.Scrape, InfoHashCount = fields.InfoHashCount };
                return true;
        }
        if (!fields.SingleInfoHash)
            error = WebSocketParseError.BadInfoHash;
        else if (!fields.HasPeerId)
            error = WebSocketParseError.BadPeerId;
        else if (fields.HasAnswer && (!fields.HasToPeerId || !fields.HasOfferId))
            error = WebSocketParseError.BadAnswer;
        if (error != WebSocketParseError.None)
            return false;
        request = new WebSocketRequest
        {
            Action = WebSocketAction.Announce,
            InfoHash = fields.InfoHash,
            PeerId = fields.PeerId,
            Uploaded = fields.Uploaded,
            Downloaded = fields.Downloaded,
            Left = fields.Left,
            Event = fields.Event,
            NumWant = fields.NumWant,
            OfferCount = fields.OfferCount,
            HasAnswer = fields.HasAnswer,
            ToPeerId = fields.ToPeerId,
            AnswerOfferId = fields.OfferId,
            AnswerStart = fields.AnswerStart,
            AnswerLength = fields.AnswerLength,
        };
        return true;
    }

    /// <summary>What has been read so far; fields can come in any order, so nothing is checked until the end.</summary>
    private struct Fields
    {
        public WebSocketAction Action;
        public bool UnknownAction;
        public InfoHash InfoHash;
        public bool SingleInfoHash;
        public int InfoHashCount;
        public PeerId PeerId;
        public bool HasPeerId;
        public long Uploaded;
        public long Downloaded;
        public long Left;
        public AnnounceEvent Event;
        public int NumWant;
        public int OfferCount;
        public bool HasAnswer;
        public int AnswerStart;
        public int AnswerLength;
        public PeerId ToPeerId;
        public bool HasToPeerId;
        public Bytes20 OfferId;
        public bool HasOfferId;
    }
}

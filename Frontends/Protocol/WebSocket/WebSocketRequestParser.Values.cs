using System.Text.Json;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol.WebSocket;

public static partial class WebSocketRequestParser
{
    /// <summary><c>offers: [{offer_id, offer}, …]</c>; null means none.</summary>
    private static WebSocketParseError ReadOffers(ref Utf8JsonReader reader, ref Fields fields, Span<WebSocketOffer> offers)
    {
        reader.Read();
        fields.OfferCount = 0;
        if (reader.TokenType == JsonTokenType.Null)
            return WebSocketParseError.None;
        if (reader.TokenType != JsonTokenType.StartArray)
            return WebSocketParseError.BadOffers;
        Span<byte> offerId = stackalloc byte[Bytes20.Length];
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
                return WebSocketParseError.BadOffers;
            if (count == offers.Length)
                return WebSocketParseError.TooManyOffers;
            var hasId = false;
            var start = -1;
            var length = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("offer_id"u8))
                {
                    if (!ReadBytes20(ref reader, offerId))
                        return WebSocketParseError.BadOffers;
                    hasId = true;
                }
                else if (reader.ValueTextEquals("offer"u8))
                {
                    if (!ReadObjectRange(ref reader, out start, out length))
                        return WebSocketParseError.BadOffers;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (!hasId || start < 0)
                return WebSocketParseError.BadOffers;
            offers[count++] = new WebSocketOffer(Bytes20.Read(offerId), start, length);
        }
        fields.OfferCount = count;
        return WebSocketParseError.None;
    }

    private static WebSocketParseError ReadAnswer(ref Utf8JsonReader reader, ref Fields fields)
    {
        if (!ReadObjectRange(ref reader, out var start, out var length))
        {
            // null or absent: no answer (bittorrent-tracker tests the field for truthiness).
            if (reader.TokenType == JsonTokenType.Null)
            {
                fields.HasAnswer = false;
                return WebSocketParseError.None;
            }
            return WebSocketParseError.BadAnswer;
        }
        fields.HasAnswer = true;
        fields.AnswerStart = start;
        fields.AnswerLength = length;
        return WebSocketParseError.None;
    }

    /// <summary>Moves to the property's value; when it is an object, skips it and returns where it lies in the frame.</summary>
    private static bool ReadObjectRange(ref Utf8JsonReader reader, out int start, out int length)
    {
        reader.Read();
        start = -1;
        length = 0;
        if (reader.TokenType != JsonTokenType.StartObject)
            return false;
        start = (int)reader.TokenStartIndex;
        reader.Skip();
        length = (int)reader.BytesConsumed - start;
        return true;
    }

    private static WebSocketParseError ReadEvent(ref Utf8JsonReader reader, ref Fields fields)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            fields.Event = AnnounceEvent.None;
            return WebSocketParseError.None;
        }
        if (reader.TokenType != JsonTokenType.String)
            return WebSocketParseError.BadEvent;
        // "update", "empty", "paused" and anything else is a regular announce, as for HTTP.
        fields.Event = reader.ValueTextEquals("started"u8) ? AnnounceEvent.Started
            : reader.ValueTextEquals("stopped"u8) ? AnnounceEvent.Stopped
            : reader.ValueTextEquals("completed"u8) ? AnnounceEvent.Completed
            : AnnounceEvent.None;
        return WebSocketParseError.None;
    }

    /// <summary>numwant: a non-negative number (fractions truncated, large values capped) or null.</summary>
    private static WebSocketParseError ReadCount(ref Utf8JsonReader reader, ref int value)
    {
        long amount = -1;
        var error = ReadAmount(ref reader, ref amount, -1);
        value = (int)Math.Min(amount, int.MaxValue);
        return error;
    }

    /// <summary>
    /// uploaded, downloaded, left: a non-negative number, or null for <paramref name="whenNull"/>.
    /// JavaScript numbers are doubles: fractions are truncated and values past 2^63 capped.
    /// </summary>
    private static WebSocketParseError ReadAmount(ref Utf8JsonReader reader, ref long value, long whenNull)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            value = whenNull;
            return WebSocketParseError.None;
        }
        if (reader.TokenType != JsonTokenType.Number)
            return WebSocketParseError.BadNumber;
        if (reader.TryGetInt64(out var whole))
        {
            if (whole < 0)
                return WebSocketParseError.BadNumber;
            value = whole;
            return WebSocketParseError.None;
        }
        if (!reader.TryGetDouble(out var number) || number < 0 || double.IsNaN(number))
            return WebSocketParseError.BadNumber;
        value = number >= long.MaxValue ? long.MaxValue : (long)number;
        return WebSocketParseError.None;
    }
}

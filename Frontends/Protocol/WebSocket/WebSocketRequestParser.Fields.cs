using System.Text.Json;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol.WebSocket;

public static partial class WebSocketRequestParser
{
    /// <summary>Reads one property's value (the reader is on its name) into <paramref name="fields"/>.</summary>
    private static WebSocketParseError ReadField(ref Utf8JsonReader reader, ref Fields fields, Span<WebSocketOffer> offers, Span<InfoHash> infoHashes)
    {
        if (reader.ValueTextEquals("action"u8))
            return ReadAction(ref reader, ref fields);
        if (reader.ValueTextEquals("info_hash"u8))
            return ReadInfoHashes(ref reader, ref fields, infoHashes);
        Span<byte> bytes = stackalloc byte[Bytes20.Length];
        if (reader.ValueTextEquals("peer_id"u8))
        {
            if (!ReadBytes20(ref reader, bytes))
                return WebSocketParseError.BadPeerId;
            fields.PeerId = PeerId.Read(bytes);
            fields.HasPeerId = true;
            return WebSocketParseError.None;
        }
        if (reader.ValueTextEquals("offers"u8))
            return ReadOffers(ref reader, ref fields, offers);
        if (reader.ValueTextEquals("answer"u8))
            return ReadAnswer(ref reader, ref fields);
        if (reader.ValueTextEquals("to_peer_id"u8))
        {
            if (!ReadBytes20(ref reader, bytes))
                return WebSocketParseError.BadAnswer;
            fields.ToPeerId = PeerId.Read(bytes);
            fields.HasToPeerId = true;
            return WebSocketParseError.None;
        }
        if (reader.ValueTextEquals("offer_id"u8))
        {
            if (!ReadBytes20(ref reader, bytes))
                return WebSocketParseError.BadAnswer;
            fields.OfferId = Bytes20.Read(bytes);
            fields.HasOfferId = true;
            return WebSocketParseError.None;
        }
        if (reader.ValueTextEquals("event"u8))
            return ReadEvent(ref reader, ref fields);
        if (reader.ValueTextEquals("numwant"u8))
            return ReadCount(ref reader, ref fields.NumWant);
        if (reader.ValueTextEquals("uploaded"u8))
            return ReadAmount(ref reader, ref fields.Uploaded, 0);
        if (reader.ValueTextEquals("downloaded"u8))
            return ReadAmount(ref reader, ref fields.Downloaded, 0);
        if (reader.ValueTextEquals("left"u8))
            return ReadAmount(ref reader, ref fields.Left, WebSocketRequest.UnknownLeft);
        reader.Read();
        reader.Skip();
        return WebSocketParseError.None;
    }

    private static WebSocketParseError ReadAction(ref Utf8JsonReader reader, ref Fields fields)
    {
        reader.Read();
        fields.Action = WebSocketAction.None;
        fields.UnknownAction = true;
        if (reader.TokenType != JsonTokenType.String)
            return WebSocketParseError.None;   // reported as an unknown action once every field is read
        if (reader.ValueTextEquals("announce"u8))
            fields.Action = WebSocketAction.Announce;
        else if (reader.ValueTextEquals("scrape"u8))
            fields.Action = WebSocketAction.Scrape;
        fields.UnknownAction = fields.Action == WebSocketAction.None;
        return WebSocketParseError.None;
    }

    /// <summary>One hash (an announce's, or a scrape of one) or an array of them (a scrape).</summary>
    private static WebSocketParseError ReadInfoHashes(ref Utf8JsonReader reader, ref Fields fields, Span<InfoHash> infoHashes)
    {
        reader.Read();
        Span<byte> bytes = stackalloc byte[InfoHash.Length];
        fields.SingleInfoHash = false;
        fields.InfoHashCount = 0;
        if (reader.TokenType == JsonTokenType.String)
        {
            if (!TryReadBytes20(ref reader, bytes))
                return WebSocketParseError.BadInfoHash;
            fields.InfoHash = InfoHash.Read(bytes);
            fields.SingleInfoHash = true;
            if (infoHashes.Length > 0)
                infoHashes[0] = fields.InfoHash;
            fields.InfoHashCount = 1;
            return WebSocketParseError.None;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
            return WebSocketParseError.BadInfoHash;
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String || !TryReadBytes20(ref reader, bytes))
                return WebSocketParseError.BadInfoHash;
            if (count == infoHashes.Length)
                return WebSocketParseError.TooManyInfoHashes;
            infoHashes[count++] = InfoHash.Read(bytes);
        }
        fields.InfoHashCount = count;
        return WebSocketParseError.None;
    }

    /// <summary>Moves to the property's value and reads it as a 20-character binary string.</summary>
    private static bool ReadBytes20(ref Utf8JsonReader reader, scoped Span<byte> destination)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.String && TryReadBytes20(ref reader, destination);
    }

    /// <summary>The string token's 20 bytes; false for any other length or a character above U+00FF.</summary>
    private static bool TryReadBytes20(ref Utf8JsonReader reader, scoped Span<byte> destination)
    {
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
            return BinaryString.TryDecodeUnescaped(raw, destination);
        if (raw.Length > BinaryString.MaxRawLength)
            return false;
        // Unescaping never lengthens: a raw string of n bytes holds at most n characters.
        Span<char> chars = stackalloc char[BinaryString.MaxRawLength];
        int length;
        try
        {
            length = reader.CopyString(chars);
        }
        catch (InvalidOperationException)
        {
            return false;   // an escaped lone surrogate: not text .NET can unescape, and above U+00FF anyway
        }
        return BinaryString.TryDecodeChars(chars[..length], destination);
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Http;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Admin;

/// <summary>Reads path and query values; anything malformed throws <see cref="AdminRequestException"/> (400).</summary>
internal static class AdminInput
{
    /// <summary>Keys valid longer than about 100 years are surely a typo (and would overflow dates).</summary>
    public const long MaxSecondsValid = AuthKeyText.MaxSecondsValid;

    public static string Route(HttpContext context, string name) =>
        context.Request.RouteValues[name] as string ?? "";

    public static InfoHash InfoHash(string text) =>
        Grains.Interfaces.InfoHash.TryParseHex(text, out var hash)
            ? hash
            : throw new AdminRequestException($"invalid info hash '{Clip(text)}': expected 40 hexadecimal digits");

    public static string Key(string text) =>
        AuthKeyText.IsValid(text)
            ? text
            : throw new AdminRequestException($"invalid key '{Clip(text)}': expected {AuthKeyText.Length} ASCII letters and digits");

    public static long SecondsValid(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? SecondsValid(seconds)
            : throw new AdminRequestException($"invalid seconds_valid '{Clip(text)}': expected a positive whole number of seconds");

    public static long SecondsValid(long seconds) =>
        seconds is > 0 and <= MaxSecondsValid
            ? seconds
            : throw new AdminRequestException($"invalid seconds_valid {seconds}: expected 1 to {MaxSecondsValid}");

    /// <summary>A non-negative integer query value, or <paramref name="absent"/> when the parameter is missing.</summary>
    public static int QueryInt(HttpContext context, string name, int absent, int max)
    {
        var values = context.Request.Query[name];
        if (values.Count == 0)
            return absent;
        var text = values[^1] ?? "";
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > max)
            throw new AdminRequestException($"invalid {name} '{Clip(text)}': expected a whole number from 0 to {max}");
        return value;
    }

    /// <summary>Echoed input is cut short so an error never reflects a huge value back.</summary>
    private static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";
}

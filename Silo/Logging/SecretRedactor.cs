using System.Text.RegularExpressions;

namespace OrleansTracker.Silo.Logging;

/// <summary>
/// Masks the secrets that travel in request lines before any log text is written: admin tokens
/// (<c>?token=…</c>, <c>Authorization: Bearer …</c>) and tracker keys (<c>/announce/KEY</c>,
/// <c>/scrape/KEY</c>, <c>/api/v1/key/KEY</c>). ASP.NET writes full request paths and query strings at
/// Information and Debug ("Request starting …", route matching), and Kestrel quotes bad request
/// lines at Debug, so a log at a low level would otherwise hold every secret a client sent.
/// Database passwords (<c>mysql://user:PASS@</c>, <c>Password=PASS;</c>) are masked too, in case a
/// provider's error message quotes its connection string.
/// </summary>
internal static partial class SecretRedactor
{
    public const string Mask = "***";

    /// <summary><paramref name="text"/> with every secret replaced by <see cref="Mask"/>; the same string when there was none.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Cheap test first: almost every log line has none of these, and then nothing is allocated.
        if (text.IndexOf('=') < 0 && text.IndexOf('/') < 0 && !text.Contains("bearer", StringComparison.OrdinalIgnoreCase))
            return text;
        var masked = QueryParameter().Replace(text, MaskToken);
        masked = KeyInPath().Replace(masked, m => m.Groups["route"].Value + Mask);
        masked = UrlPassword().Replace(masked, m => m.Groups["user"].Value + Mask + "@");
        masked = ConnectionStringPassword().Replace(masked, m => m.Groups["name"].Value + "=" + Mask);
        return Bearer().Replace(masked, m => m.Groups["scheme"].Value + Mask);
    }

    /// <summary>ASP.NET reads query names case-insensitively and percent-decoded, so <c>?TOKEN=</c> and
    /// <c>?%74oken=</c> are tokens too.</summary>
    private static string MaskToken(Match match)
    {
        var name = match.Groups["name"].Value;
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(name.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            decoded = name;
        }
        return string.Equals(decoded, "token", StringComparison.OrdinalIgnoreCase)
            ? match.Groups["lead"].Value + name + "=" + Mask
            : match.Value;
    }

    [GeneratedRegex(@"(?<lead>[?&;])(?<name>[^=&;?\s""'#]+)=(?<value>[^&;\s""'#]*)")]
    private static partial Regex QueryParameter();

    // Routes are matched case-insensitively, so /ANNOUNCE/KEY is served and must be masked too. A segment
    // starting with "{" is the route pattern ("/announce/{key}"), which routing logs and which is no secret.
    [GeneratedRegex(@"(?<route>/(?:announce|scrape|api/v1/key)/)(?<secret>[^/?\s""'#{][^/?\s""'#]*)", RegexOptions.IgnoreCase)]
    private static partial Regex KeyInPath();

    [GeneratedRegex(@"(?<user>\b[a-z][a-z0-9+.-]*://[^:/@\s]+:)(?<secret>[^@\s/]+)@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"(?<name>\b(?:password|pwd))=(?<secret>[^;\s""']*)", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex(@"(?<scheme>\bbearer\s+)(?<secret>[^\s""',;]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Bearer();
}

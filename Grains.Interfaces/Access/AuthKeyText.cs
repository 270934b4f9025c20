using System.Security.Cryptography;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// The text of a private-tracker key: exactly 32 ASCII letters and digits, as Torrust writes them,
/// so keys move between the two trackers and fit in a URL path without escaping.
/// </summary>
public static class AuthKeyText
{
    public const int Length = 32;

    /// <summary>
    /// The longest validity a key may get, in seconds (a century): long enough for anyone, short
    /// enough that valid_until never overflows. One limit for the API, the grain and the CLI.
    /// </summary>
    public const long MaxSecondsValid = 100L * 365 * 24 * 3600;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static bool IsValid(ReadOnlySpan<char> key)
    {
        if (key.Length != Length)
            return false;
        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c))
                return false;
        }
        return true;
    }

    public static bool IsValid(ReadOnlySpan<byte> key)
    {
        if (key.Length != Length)
            return false;
        foreach (var b in key)
        {
            if (!char.IsAsciiLetterOrDigit((char)b))
                return false;
        }
        return true;
    }

    /// <summary>A new key from the OS's cryptographic RNG (62 symbols: about 190 bits).</summary>
    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, Length);
}

using System.Security.Cryptography;

namespace OrleansTracker.Tests.Support;

internal static class TestPeers
{
    public static byte[] NewInfoHash() => RandomNumberGenerator.GetBytes(20);

    /// <summary>An Azureus-style peer id ("-OT0001-" + 12 random bytes).</summary>
    public static byte[] NewPeerId()
    {
        var id = RandomNumberGenerator.GetBytes(20);
        "-OT0001-"u8.CopyTo(id);
        return id;
    }

    public static string PercentEncode(byte[] bytes) => string.Concat(bytes.Select(b => $"%{b:X2}"));
}

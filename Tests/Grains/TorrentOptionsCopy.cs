using OrleansTracker.Grains;

namespace OrleansTracker.Tests.Grains;

/// <summary>
/// Hands a test's <see cref="TorrentOptions"/> to its silos. Every settable option is copied, so
/// an option added later reaches the test clusters without each one listing it again (they had
/// drifted: one copied eight options, the other five).
/// </summary>
internal static class TorrentOptionsCopy
{
    public static void CopyTo(this TorrentOptions source, TorrentOptions target)
    {
        foreach (var property in typeof(TorrentOptions).GetProperties())
        {
            if (property.CanWrite)
                property.SetValue(target, property.GetValue(source));
        }
    }
}

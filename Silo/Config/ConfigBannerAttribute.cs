namespace OrleansTracker.Silo.Config;

/// <summary>
/// Starts a group of keys: a <c># ---- Title ----</c> line in the default config.toml and a
/// <c>## Title</c> section in docs/configuration.md. Put it on the first key of the group.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ConfigBannerAttribute(string title) : Attribute
{
    public string Title { get; } = title;

    /// <summary>No blank line between the banner and the key or note after it.</summary>
    public bool Tight { get; set; }
}

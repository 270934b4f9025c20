namespace OrleansTracker.Silo.Config;

/// <summary>
/// A section with rules between its keys (or, for the root, between sections). The reader calls
/// <see cref="Check"/> once the whole file is read (the root's first); a rule of a single value
/// belongs in its <see cref="ConfigKeyAttribute"/> (range, <see cref="ValueCheck"/>) instead.
/// </summary>
internal interface IConfigRules
{
    /// <summary>Throws the first broken rule as a <see cref="ConfigException"/> made by <paramref name="checks"/>,
    /// which names the key, its line or its environment variable.</summary>
    void Check(ConfigChecks checks);
}

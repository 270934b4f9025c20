namespace OrleansTracker.Silo.Config;

/// <summary>
/// What <see cref="IConfigRules"/> need: for every section read so far, the part of the file (or the
/// variables) it came from, so that a broken rule names the key and its line; and the file system, for
/// paths that must exist. Blocks of an array of tables that the file leaves out (the default blocks)
/// are named "<c>udp_trackers (default block)</c>".
/// </summary>
internal sealed class ConfigChecks(TomlSection root, Func<string, bool> fileExists)
{
    private readonly Dictionary<object, TomlSection> _sections = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, string> _defaultBlocks = new(ReferenceEqualityComparer.Instance);
    private readonly List<object> _order = [];

    public TomlSection Root => root;

    /// <summary>Whether a file exists (tests pass their own).</summary>
    public Func<string, bool> FileExists => fileExists;

    /// <summary>Every section and default block read so far, in the order of the declarations.</summary>
    public IReadOnlyList<object> Sections => _order;

    public void Add(object section, TomlSection source)
    {
        _sections[section] = source;
        _order.Add(section);
    }

    public void AddDefaultBlock(object block, string arrayKeyPath)
    {
        _defaultBlocks[block] = $"{arrayKeyPath} (default block)";
        _order.Add(block);
    }

    /// <summary>Whether <paramref name="section"/> came from the file or the variables (an absent table counts:
    /// it is read as an empty one).</summary>
    public bool WasRead(object section) => _sections.ContainsKey(section);

    /// <summary>Whether the file or a variable sets the key, rather than leaving it at its default.</summary>
    public bool IsSet(object section, string key) => _sections.TryGetValue(section, out var source) && source.IsSet(key);

    /// <summary>The key's path for messages, e.g. <c>http_trackers[1].bind_address</c>.</summary>
    public string KeyPath(object section, string key) =>
        _sections.TryGetValue(section, out var source) ? source.KeyPath(key) : DefaultBlockName(section);

    public ConfigException Error(object section, string key, string problem) =>
        _sections.TryGetValue(section, out var source) ? source.Error(key, problem) : root.Error(DefaultBlockName(section), problem);

    /// <summary>An error about <paramref name="key"/>, at the line of <paramref name="lineKey"/> when the key itself
    /// is not in the file (a required key missing: point at the switch that requires it).</summary>
    public ConfigException Error(object section, string key, string problem, string lineKey) =>
        _sections.TryGetValue(section, out var source) ? source.Error(key, problem, lineKey) : root.Error(DefaultBlockName(section), problem);

    private string DefaultBlockName(object block) =>
        _defaultBlocks.TryGetValue(block, out var name)
            ? name
            : throw new InvalidOperationException($"a {block.GetType().Name} that the reader did not read");
}

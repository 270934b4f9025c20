using System.Runtime.CompilerServices;

namespace OrleansTracker.Silo.Config;

/// <summary>
/// Declares a config.toml key on the property that holds it, the one place a key is written down:
/// the property's type is the key's type (see <see cref="KeyKind"/>; nullable means optional), its
/// initializer the default, and this attribute the name, the range, the checks and the comment. The
/// reader, the environment variables, <c>--print-config</c>, the default config.toml and
/// docs/configuration.md all come from these declarations (<see cref="ConfigSchema"/>).
/// </summary>
/// <param name="name">The TOML key.</param>
/// <param name="comment">The comment written above the key in the default config.toml (without "# "),
/// which is also its meaning in docs/configuration.md. For a table it is written above the header; for
/// an array of tables it is a paragraph of its own before the first block.</param>
/// <param name="order">Filled in by the compiler: keys keep the order they are declared in.</param>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ConfigKeyAttribute(string name, string comment, [CallerLineNumber] int order = 0) : Attribute
{
    public string Name { get; } = name;

    public string Comment { get; } = comment;

    public int Order { get; } = order;

    /// <summary>Least value of an integer, or of a duration in seconds.</summary>
    public int Min { get; set; } = 1;

    /// <summary>Greatest value of an integer, or of a duration in seconds (unbounded when not set).</summary>
    public int Max { get; set; } = int.MaxValue;

    /// <summary>For an optional key: the value shown in the default config.toml's commented-out line.</summary>
    public string? Example { get; set; }

    /// <summary>A check on the value alone; rules between keys live in the section's <see cref="IConfigRules"/>.</summary>
    public ValueCheck Check { get; set; }

    /// <summary><c>--print-config</c> shows the value with any database password masked.</summary>
    public bool HasPassword { get; set; }
}

/// <summary>Checks of one value that its type alone does not make.</summary>
internal enum ValueCheck
{
    None,

    /// <summary>A string that must not be empty or blank.</summary>
    NonEmpty,

    /// <summary>An optional string that, when set, is a host:port with a port of 1 to 65535.</summary>
    HostAndPort,

    /// <summary>Strings that are each a bare host name or IP address (no scheme, port or path).</summary>
    HostNames,
}

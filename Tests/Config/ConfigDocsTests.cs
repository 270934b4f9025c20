using System.Text;
using OrleansTracker.Silo.Config;
using Xunit;

namespace OrleansTracker.Tests.Config;

/// <summary>docs/configuration.md cannot drift from the options the reader accepts.</summary>
public sealed class ConfigDocsTests
{
    private const string Regenerate = "regenerate it: dotnet run --project Silo -c Release -- --print-config-docs > docs/configuration.md";

    [Fact]
    public void the_committed_reference_equals_the_generated_one()
    {
        var committed = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "configuration.md"), Encoding.UTF8).ReplaceLineEndings("\n");

        Assert.True(committed == ConfigDocs.Render(), $"docs/configuration.md differs from the generated reference; {Regenerate}");
    }

    [Fact]
    public void every_key_the_reader_accepts_has_a_row_with_type_default_and_meaning()
    {
        var page = ConfigDocs.Render();
        var keys = ConfigLoader.Schema().Values.Where(o => o.Type is not ("table" or "array of tables")).ToList();
        Assert.True(keys.Count >= 40, $"only {keys.Count} keys found by the schema walk");
        foreach (var key in keys)
        {
            var row = page.Split('\n').SingleOrDefault(l => l.StartsWith($"| `{key.Path}`<br>", StringComparison.Ordinal));
            Assert.True(row is not null, $"no row for {key.Path}");
            var cells = row.Split(" | ");
            Assert.Equal(4, cells.Length);
            Assert.Contains(EnvironmentOverrides.VariableFor(key.Path), cells[0], StringComparison.Ordinal);
            Assert.Equal(key.Type, cells[1]);
            Assert.True(cells[3].Length > 10, $"{key.Path} has no meaning");
        }
    }

    [Fact]
    public void every_table_the_reader_accepts_is_named_in_the_reference()
    {
        var page = ConfigDocs.Render();
        foreach (var table in ConfigLoader.Schema().Values.Where(o => o.Type is "table" or "array of tables"))
        {
            var written = table.Type == "table" ? $"`[{table.Path}]`" : $"`[[{table.Path}]]`";
            Assert.Contains(written, page, StringComparison.Ordinal);
        }
    }

    /// <summary>The schema lists a key because it is declared, with the type and default of its declaration.</summary>
    [Fact]
    public void the_schema_lists_keys_with_the_getters_types_and_defaults()
    {
        var schema = ConfigLoader.Schema();

        Assert.Equal(new ConfigOption("peer_timeout", "seconds, 1 to 604800", "900"), schema["peer_timeout"]);
        Assert.Equal(new ConfigOption("cleanup_interval", "seconds, at least 1", "600"), schema["cleanup_interval"]);
        Assert.Equal(new ConfigOption("udp_trackers[].bind_address", "address:port", "\"[::]:6969\""), schema["udp_trackers[].bind_address"]);
        Assert.Equal(new ConfigOption("cluster.advertised_ip", "IP address", "unset"), schema["cluster.advertised_ip"]);
        Assert.Equal("one of \"text\", \"json\"", schema["log_format"].Type);
        Assert.True(schema.ContainsKey("http_api.access_tokens.*"));
    }
}

using System.Globalization;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Silo.Import;

/// <summary>What an import found in one table.</summary>
public sealed class TableReport(string table)
{
    public string Table { get; } = table;

    public bool Missing { get; set; }

    public int Imported { get; set; }

    /// <summary>One line per row that was skipped, naming the row and why.</summary>
    public List<string> Skipped { get; } = [];

    public override string ToString() => Missing
        ? $"{Table}: table not found, nothing imported"
        : string.Create(CultureInfo.InvariantCulture, $"{Table}: {Imported} imported, {Skipped.Count} skipped");
}

/// <summary>The rows of a Torrust database that passed the checks, and the reports of those that did not.</summary>
public sealed class TorrustImportPlan
{
    public Dictionary<InfoHash, long> Completed { get; } = [];

    public HashSet<InfoHash> Whitelist { get; } = [];

    public Dictionary<string, AuthKeyEntry> Keys { get; } = new(StringComparer.Ordinal);

    public TableReport Torrents { get; } = new("torrents");

    public TableReport WhitelistReport { get; } = new("whitelist");

    public TableReport KeysReport { get; } = new("keys");

    public IEnumerable<TableReport> Reports => [Torrents, WhitelistReport, KeysReport];

    public int SkippedRows => Reports.Sum(r => r.Skipped.Count);
}

/// <summary>
/// Checks every row of a Torrust database before anything is written: a hash that is not 40 hex
/// digits, a negative or non-numeric count, a key that is not 32 letters and digits, a negative
/// valid_until — each is named in the report and skipped. Duplicates that differ only in case
/// (Torrust stores hex as text) merge: the larger completed count wins.
/// </summary>
public static class TorrustImport
{
    public static TorrustImportPlan Plan(TorrustTables tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var plan = new TorrustImportPlan();
        PlanTorrents(tables.Torrents, plan);
        PlanWhitelist(tables.Whitelist, plan);
        PlanKeys(tables.Keys, plan);
        return plan;
    }

    private static void PlanTorrents(IReadOnlyList<TorrustRow>? rows, TorrustImportPlan plan)
    {
        if (rows is null)
        {
            plan.Torrents.Missing = true;
            return;
        }
        foreach (var row in rows)
        {
            if (!TryHash(row.First, out var hash))
                Skip(plan.Torrents, row, $"info_hash {Show(row.First)} is not 40 hex digits");
            else if (!TryInteger(row.Second, out var completed) || completed < 0)
                Skip(plan.Torrents, row, $"completed {Show(row.Second)} is not a count");
            else
                plan.Completed[hash] = Math.Max(completed, plan.Completed.GetValueOrDefault(hash));
        }
    }

    private static void PlanWhitelist(IReadOnlyList<TorrustRow>? rows, TorrustImportPlan plan)
    {
        if (rows is null)
        {
            plan.WhitelistReport.Missing = true;
            return;
        }
        foreach (var row in rows)
        {
            if (TryHash(row.First, out var hash))
                plan.Whitelist.Add(hash);
            else
                Skip(plan.WhitelistReport, row, $"info_hash {Show(row.First)} is not 40 hex digits");
        }
    }

    private static void PlanKeys(IReadOnlyList<TorrustRow>? rows, TorrustImportPlan plan)
    {
        if (rows is null)
        {
            plan.KeysReport.Missing = true;
            return;
        }
        foreach (var row in rows)
        {
            var key = row.First as string;
            if (key is null || !AuthKeyText.IsValid(key))
                Skip(plan.KeysReport, row, $"key {Show(row.First)} is not 32 letters and digits");
            else if (row.Second is null)
                plan.Keys[key] = new AuthKeyEntry(key, null);
            else if (!TryInteger(row.Second, out var validUntil) || validUntil < 0)
                Skip(plan.KeysReport, row, $"valid_until {Show(row.Second)} is not a unix time");
            else
                plan.Keys[key] = new AuthKeyEntry(key, validUntil);
        }
    }

    private static bool TryHash(object? value, out InfoHash hash)
    {
        hash = default;
        return value is string text && InfoHash.TryParseHex(text.Trim(), out hash);
    }

    private static bool TryInteger(object? value, out long result)
    {
        switch (value)
        {
            case long l:
                result = l;
                return true;
            case int i:
                result = i;
                return true;
            case uint u:
                result = u;
                return true;
            case ulong ul when ul <= long.MaxValue:
                result = (long)ul;
                return true;
            case decimal d when d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue:
                result = (long)d;
                return true;
            case string s:
                return long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);
            default:
                result = 0;
                return false;
        }
    }

    private static void Skip(TableReport report, TorrustRow row, string why) =>
        report.Skipped.Add(string.Create(CultureInfo.InvariantCulture, $"{report.Table} row id={row.Id}: {why}"));

    private static string Show(object? value) => value switch
    {
        null => "NULL",
        string s => $"'{(s.Length > 60 ? s[..60] + "…" : s)}'",
        byte[] b => $"<{b.Length} bytes>",
        _ => $"'{Convert.ToString(value, CultureInfo.InvariantCulture)}'",
    };
}

using System.Diagnostics;

namespace OrleansTracker.Tests.Support;

/// <summary>
/// A helper program (chromium, python, node, tar, systemd-analyze…) run to its end within a bound:
/// both pipes are read as output comes (a full pipe would block the child), and past the bound the
/// child is killed with its children and a <see cref="TimeoutException"/> carries what it printed.
/// </summary>
internal static class BoundedProcess
{
    internal readonly record struct Finished(int ExitCode, string Stdout, string Stderr);

    public static async Task<Finished> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout,
        string? workingDirectory = null, IEnumerable<(string Name, string Value)>? environment = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
            info.WorkingDirectory = workingDirectory;
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? [])
            info.Environment[name] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{Path.GetFileName(file)} did not finish within {timeout}:\n{await stdout}\n{await stderr}");
        }
        return new Finished(process.ExitCode, await stdout, await stderr);
    }
}

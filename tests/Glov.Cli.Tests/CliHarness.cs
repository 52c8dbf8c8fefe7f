using System.Diagnostics;
using Glov.Cli.Composition;

namespace Glov.Cli.Tests;

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>A temporary working folder with config files, and ways to run glov in it.</summary>
internal sealed class Workspace : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("glov-cli-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>In process, with the default registry; relative paths in args are taken from this folder.</summary>
    public async Task<CliResult> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Program.RunAsync(args.Select(Absolute).ToArray(), stdout, stderr, ComponentRegistry.Default);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    private string Absolute(string arg) => arg.EndsWith(".yaml", StringComparison.Ordinal) && !System.IO.Path.IsPathRooted(arg) ? File(arg) : arg;

    /// <summary>Environment variables the child processes get on top of this one's.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>The built glov as a child process, working directory = this folder.</summary>
    public Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in Environment)
            info.Environment[name] = value;
        info.ArgumentList.Add(System.IO.Path.Combine(AppContext.BaseDirectory, "glov.dll"));
        foreach (var a in args)
            info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    public async Task<CliResult> Exec(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(cts.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}

internal static class Configs
{
    public const string Classes = "[airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck]";

    /// <summary>Scripted proposer, keyword fitness, guidance off: runs anywhere in milliseconds.</summary>
    public static string Scripted(string name, int steps = 4, string extra = "") => $"""
        name: {name}
        runs_dir: runs
        seed: 7
        task:
          dataset: cifar10
          description: Small natural images of ten everyday object classes.
        optimizer:
          steps: {steps}
          candidates: 6
        guidance:
          enabled: false
        proposer:
          kind: scripted
        fitness:
          kind: keyword
          classes: {Classes}
        {extra}
        """;
}

using Glov.Cli;
using Glov.Cli.Composition;

namespace Glov.EndToEnd.Tests;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>A temporary folder holding configs and runs; glov runs in process against it.</summary>
public sealed class Workspace : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("glov-e2e-").FullName;

    public string PathOf(string name) => Path.Combine(Root, name);

    public string Write(string name, string text)
    {
        var path = PathOf(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public async Task<CliResult> Run(ComponentRegistry registry, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Program.RunAsync(args, stdout, stderr, registry);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public Task<CliResult> Run(params string[] args) => Run(ComponentRegistry.Default, args);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

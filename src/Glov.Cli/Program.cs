using System.CommandLine;
using System.Text.Json.Nodes;
using Glov.Cli.Commands;
using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Core;
using Glov.Core.Text;

namespace Glov.Cli;

public static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, Console.Out, Console.Error, ComponentRegistry.Default);

    /// <summary>Every error a user can cause ends as one line on stderr and exit code 2; --verbose adds the stack trace.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, ComponentRegistry registry)
    {
        var verbose = new Option<bool>("--verbose") { Description = "Show stack traces for errors", Recursive = true };
        var root = new RootCommand("glov: GLOV prompt optimisation for vision-language models (LLM as implicit optimizer, with activation steering)") { verbose };
        root.Add(OptimizeCommand(registry, stdout, stderr));
        root.Add(ResumeCommand(registry, stdout, stderr));
        root.Add(RunsCommand(stdout));
        root.Add(PreviewCommand.Create(registry, stdout, stderr));
        root.Add(EvaluateCommand.Create(registry, stdout, stderr));
        root.Add(SweepCommand.Create(registry, stdout, stderr));
        root.Add(ReportCommand.Create(stdout, stderr));
        root.Add(FixtureCommand.Create(stdout));
        root.Add(DatasetsCommands.Create(stdout, stderr));
        root.Add(ReproduceCommand.Create(registry, stdout, stderr));
        root.Add(ConvertCommands.Create(stdout));
        root.Add(LlmCommands.Create(stdout, stderr));
        root.Add(Vision.VlmCommands.Create(stdout, stderr));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            stderr.WriteLine($"glov: {OneLine(parse.Errors[0].Message)} (see glov --help)");
            return 2;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = stdout, Error = stderr }).ConfigureAwait(false);
        }
        catch (GlovUserException e)
        {
            stderr.WriteLine($"glov: {OneLine(e.Message)}");
            if (parse.GetValue(verbose))
                stderr.WriteLine(Secrets.Redact(e.ToString()));
            return 2;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("glov: cancelled; continue with glov resume");
            return 130;
        }
        catch (Exception e)
        {
            stderr.WriteLine(parse.GetValue(verbose) ? Secrets.Redact(e.ToString()) : $"glov: internal error: {e.GetType().Name}: {OneLine(e.Message)} (--verbose shows the stack trace)");
            return 1;
        }
    }

    /// <summary>Messages may quote model output, server answers or file names: secrets are masked and
    /// control characters shown escaped.</summary>
    private static string OneLine(string message) =>
        TerminalText.Safe(Secrets.Redact(string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))));

    private static Option<string[]> SetOption() => new("--set")
    {
        Description = "Override a config key: --set optimizer.steps=20 (repeatable; the value is YAML)",
        AllowMultipleArgumentsPerToken = false,
    };

    private static Command OptimizeCommand(ComponentRegistry registry, TextWriter stdout, TextWriter stderr)
    {
        var config = new Option<string>("--config") { Description = "The run's YAML config (docs/cli.md lists every key)", Required = true };
        var set = SetOption();
        var steps = new Option<int?>("--steps") { Description = "Override optimizer.steps" };
        var seed = new Option<ulong?>("--seed") { Description = "Override seed" };
        var name = new Option<string?>("--name") { Description = "Override name (the run's folder)" };
        var runsDir = RunsDirOverride();
        var command = new Command("optimize", "Run GLOV from a config; a run of the same name and config continues") { config, set, steps, seed, name, runsDir };
        command.Aliases.Add("optimise");
        command.SetAction((parse, ct) =>
        {
            var path = parse.GetRequiredValue(config);
            var input = YamlConfig.Load(path);
            ApplySets(input, parse.GetValue(set));
            if (parse.GetValue(steps) is { } st) RunConfig.Override(input, "optimizer.steps", st);
            if (parse.GetValue(seed) is { } sd) RunConfig.Override(input, "seed", sd);
            if (parse.GetValue(name) is { } n) RunConfig.Override(input, "name", n);
            ApplyRunsDir(input, parse.GetValue(runsDir));
            var resolved = RunConfig.Resolve(input, path, Path.GetDirectoryName(Path.GetFullPath(path))!, registry);
            var runName = resolved.Name ?? RunStore.NewName(resolved.Dataset, DateTimeOffset.UtcNow);
            resolved.Resolved["name"] = runName;
            stderr.WriteLine($"run {runName}");
            return RunExecutor.ExecuteAsync(resolved, Path.GetFullPath(RunStore.JournalPath(resolved.RunsDir, runName)), stdout, stderr, ct);
        });
        return command;
    }

    private static Command ResumeCommand(ComponentRegistry registry, TextWriter stdout, TextWriter stderr)
    {
        var run = new Argument<string>("run") { Description = "Run name in --runs-dir, run folder, or journal file" };
        var runsDir = RunStore.RunsDirOption();
        var set = SetOption();
        var command = new Command("resume", "Continue a run from its journal (nothing recorded is proposed or scored again)") { run, runsDir, set };
        command.SetAction((parse, ct) =>
        {
            var journalPath = RunStore.Locate(parse.GetRequiredValue(run), parse.GetRequiredValue(runsDir));
            Glov.Core.Journal.RunManifest manifest;
            using (var journal = Glov.Runs.SqliteRunJournal.Open(journalPath, readOnly: true))
                manifest = journal.Manifest;
            var input = JsonNode.Parse(manifest.ConfigJson) as JsonObject ?? throw new GlovUserException($"{journalPath}: manifest is not a config");
            ApplySets(input, parse.GetValue(set));
            var resolved = RunConfig.Resolve(input, $"{journalPath} (manifest)", Environment.CurrentDirectory, registry);
            return RunExecutor.ExecuteAsync(resolved, journalPath, stdout, stderr, ct);
        });
        return command;
    }

    private static Command RunsCommand(TextWriter stdout)
    {
        var runsDir = RunStore.RunsDirOption();
        var list = new Command("list", "List runs with status, steps and best score") { runsDir };
        list.SetAction(parse => RunsCommands.List(parse.GetRequiredValue(runsDir), stdout));

        var run = new Argument<string>("run") { Description = "Run name in --runs-dir, run folder, or journal file" };
        var show = new Command("show", "Show a run: settings, per-step summary, final selection") { run, runsDir };
        show.SetAction(parse => RunsCommands.Show(RunStore.Locate(parse.GetRequiredValue(run), parse.GetRequiredValue(runsDir)), stdout));

        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of stdout" };
        var export = new Command("export", "Export a journal as JSON Lines") { run, runsDir, output };
        export.SetAction(parse => RunsCommands.Export(RunStore.Locate(parse.GetRequiredValue(run), parse.GetRequiredValue(runsDir)), parse.GetValue(output), stdout));

        return new Command("runs", "Inspect recorded runs") { list, show, export };
    }

    /// <summary>--runs-dir for the commands that read a config: overrides its runs_dir, relative to the working directory.</summary>
    internal static Option<string?> RunsDirOverride() => new("--runs-dir") { Description = "Override runs_dir (relative to the working directory)" };

    internal static void ApplyRunsDir(JsonObject input, string? runsDir)
    {
        if (runsDir is not null)
            RunConfig.Override(input, "runs_dir", Path.GetFullPath(runsDir));
    }

    private static void ApplySets(JsonObject input, string[]? sets) => ConfigOverrides.Apply(input, sets);
}

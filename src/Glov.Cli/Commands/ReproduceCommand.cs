using Glov.Core.Files;
using System.CommandLine;
using System.Text.Json.Nodes;
using Glov.Catalog;
using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Core;
using Glov.Grid;
using Glov.Reports.Evaluation;

namespace Glov.Cli.Commands;

/// <summary>
/// <c>glov reproduce --suite suite.yaml</c>: the paper's grid (datasets × α × guidance on/off × seeds, src/Glov.Grid)
/// as ordinary resumable runs, then the results table. <c>--collect</c> only builds the table, <c>--cell N</c> runs
/// one cell (a Slurm array task), <c>--emit slurm</c> writes the job-array script.
/// </summary>
public static class ReproduceCommand
{
    public static Command Create(ComponentRegistry registry, TextWriter stdout, TextWriter stderr)
    {
        var suite = new Option<string>("--suite") { Description = "The suite file (docs/reproduce.md)", Required = true };
        var collect = new Option<bool>("--collect") { Description = "Build the results table from the cells' journals and evaluations; run nothing" };
        var cell = new Option<int?>("--cell") { Description = "Run only this cell (0-based; a Slurm array task id); no table" };
        var emit = new Option<string?>("--emit") { Description = "Write a scheduler script instead of running: slurm" };
        var command = new Command("reproduce", "Run the paper's grid from a suite file and write the results table") { suite, collect, cell, emit };
        command.SetAction(async (parse, ct) =>
        {
            var loaded = Load(parse.GetRequiredValue(suite));
            if (parse.GetValue(emit) is { } scheduler)
                return Emit(loaded, scheduler, stdout);
            if (!parse.GetValue(collect))
            {
                var states = await new GridRunner(new CliCellRunner(registry, stderr), stderr).RunAsync(loaded, parse.GetValue(cell), ct).ConfigureAwait(false);
                if (parse.GetValue(cell) is not null)
                    return states.All(s => s.Status == CellStatus.Done) ? 0 : DatasetsCommands.ProblemsFound;
            }
            var table = ResultsTable.Collect(loaded);
            ResultsFiles.WriteAll(table, loaded.Output);
            stdout.Write(ResultsFiles.ToMarkdown(table));
            stdout.WriteLine($"written  {Path.Combine(loaded.Output, ResultsFiles.Markdown)}, {ResultsFiles.Csv}, {ResultsFiles.Index}");
            return table.Cells.Any(c => c.Status == CellStatus.Failed) ? DatasetsCommands.ProblemsFound : 0;
        });
        return command;
    }

    public static Suite Load(string path) => Suite.Parse(YamlConfig.Load(path), path, YamlConfig.Load, GridDataset);

    /// <summary>A dataset a cell can optimize on: test-only datasets would tune on their test images.</summary>
    private static string GridDataset(string name)
    {
        var entry = DatasetCatalog.Find(name);
        return entry.TransferFrom is { } source
            ? throw new GlovUserException($"{entry.Name} has no train split (its train split is its test set): the paper evaluates the prompts found on {source} on it, a transfer glov reproduce does not run yet")
            : entry.Name;
    }

    private static int Emit(Suite suite, string scheduler, TextWriter stdout)
    {
        if (scheduler != "slurm")
            throw new GlovUserException($"--emit: '{scheduler}' is not a known scheduler (known: slurm)");
        Directory.CreateDirectory(SlurmScript.LogFolder(suite));
        Directory.CreateDirectory(suite.CellsFolder);
        var path = Path.Combine(suite.Output, "reproduce.sbatch");
        AtomicFile.WriteAllText(path, SlurmScript.Emit(suite, GlovCommand()));
        stdout.WriteLine($"written  {path} ({GridCell.Of(suite).Count} array tasks); submit with: sbatch {path}");
        return 0;
    }

    /// <summary>How this glov was started: the apphost, or <c>dotnet glov.dll</c>.</summary>
    private static string GlovCommand()
    {
        var process = Environment.ProcessPath ?? "glov";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? $"'{process}' '{Path.Combine(AppContext.BaseDirectory, "glov.dll")}'"
            : $"'{process}'";
    }

    /// <summary>A cell as the commands run it: optimize (continuing its journal), evaluate, report; evaluation.json last.</summary>
    private sealed class CliCellRunner(ComponentRegistry registry, TextWriter log) : ICellRunner
    {
        public async Task RunAsync(JsonObject config, string configSource, string baseDirectory, string cellFolder, CancellationToken cancellationToken)
        {
            var resolved = RunConfig.Resolve(config, configSource, baseDirectory, registry);
            var journal = RunStore.JournalPath(resolved.RunsDir, resolved.Name!);
            await RunExecutor.ExecuteAsync(resolved, Path.GetFullPath(journal), log, log, cancellationToken).ConfigureAwait(false);
            var info = RecordedRunInfo.Load(cellFolder, resolved.RunsDir);
            var evaluation = await EvaluateCommand.RunAsync(info, registry, log, cancellationToken).ConfigureAwait(false);
            ReportCommand.Write(info, evaluation, Path.Combine(cellFolder, CellState.ReportFile), []);
            ReportFiles.WriteEvaluation(cellFolder, evaluation);
        }
    }
}

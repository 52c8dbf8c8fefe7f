using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Cli.Sweeps;
using Glov.Core;
using Glov.Core.Proposing;
using Glov.Reports.Evaluation;
using Glov.Reports.Model;
using Glov.Runs;

namespace Glov.Cli.Commands;

/// <summary>
/// <c>glov sweep --config run.yaml</c>: the α (and optionally layer) grid as separate runs in one folder,
/// loading the models once and keeping their caches across runs; flags degenerate output and picks the run
/// with the best final train score (ties: earlier in the grid, i.e. larger α, then smaller layer).
/// </summary>
public static class SweepCommand
{
    public static Command Create(ComponentRegistry registry, TextWriter stdout, TextWriter stderr)
    {
        var config = new Option<string>("--config") { Description = "The run's YAML config", Required = true };
        var alphas = new Option<double[]>("--alphas") { Description = "Steering strengths to try (default: 1.0 0.75 0.5 0.25)", AllowMultipleArgumentsPerToken = true };
        var layers = new Option<int[]>("--layers") { Description = "Layers to try (default: the config's guidance.layer, else the paper's depth ratio)", AllowMultipleArgumentsPerToken = true };
        var name = new Option<string?>("--name") { Description = "The sweep's folder name in runs_dir" };
        var set = new Option<string[]>("--set") { Description = "Override a config key (repeatable): --set optimizer.steps=20" };
        var runsDir = Program.RunsDirOverride();
        var command = new Command("sweep", "Run the guidance α (and layer) grid and pick by train score") { config, alphas, layers, name, set, runsDir };
        command.SetAction((parse, ct) =>
        {
            var path = parse.GetRequiredValue(config);
            var input = YamlConfig.Load(path);
            ConfigOverrides.Apply(input, parse.GetValue(set));
            Program.ApplyRunsDir(input, parse.GetValue(runsDir));
            var grid = parse.GetValue(alphas) is { Length: > 0 } a ? a : [1.0, 0.75, 0.5, 0.25];
            return RunAsync(input, path, grid, parse.GetValue(layers) ?? [], parse.GetValue(name), registry, stdout, stderr, ct);
        });
        return command;
    }

    public static async Task<int> RunAsync(JsonObject input, string configPath, IReadOnlyList<double> alphas, IReadOnlyList<int> layers,
        string? name, ComponentRegistry registry, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(configPath))!;
        var first = RunConfig.Resolve((JsonObject)input.DeepClone(), configPath, baseDirectory, registry);
        if (!first.Settings.Guidance.Enabled)
            throw new GlovUserException($"{configPath}: guidance.enabled: a sweep varies the steering strength; enable guidance");
        var sweepName = name ?? first.Name ?? RunStore.NewName(first.Dataset + "-sweep", DateTimeOffset.UtcNow);
        var sweepFolder = Path.Combine(first.RunsDir, sweepName);
        Directory.CreateDirectory(sweepFolder);
        stderr.WriteLine($"sweep {sweepFolder}");

        var loading = ProgressDisplay.For(stderr);
        var (proposer, fitness) = await loading.RunAsync(async _ =>
            (await first.CreateProposer(ct, loading).ConfigureAwait(false), await first.CreateFitness(ct, loading).ConfigureAwait(false))).ConfigureAwait(false);
        try
        {
            if (!proposer.Proposer.SupportsSteering || proposer.Embedder is null)
                throw new GlovUserException($"{configPath}: proposer.kind: '{proposer.Proposer.Name}' cannot steer, so there is nothing to sweep");
            var layerGrid = layers.Count > 0 ? layers : [first.Settings.Guidance.Layer ?? SteeringVector.DefaultLayer(proposer.Embedder.LayerCount)];
            var cells = new List<SweepCell>();
            foreach (var alpha in alphas.OrderDescending())
            {
                foreach (var layer in layerGrid.Order())
                {
                    var runName = string.Format(CultureInfo.InvariantCulture, "alpha-{0:0.###}-layer-{1}", alpha, layer);
                    var cell = (JsonObject)input.DeepClone();
                    RunConfig.Override(cell, "guidance.alpha", alpha);
                    RunConfig.Override(cell, "guidance.layer", layer);
                    RunConfig.Override(cell, "name", runName);
                    RunConfig.Override(cell, "runs_dir", sweepFolder);
                    var config = RunConfig.Resolve(cell, configPath, baseDirectory, registry);
                    stderr.WriteLine($"run {runName}");
                    var journalPath = RunStore.JournalPath(sweepFolder, runName);
                    var result = await RunExecutor.RunWithAsync(config, proposer, fitness, journalPath, stdout, stderr, ct).ConfigureAwait(false);
                    using var journal = SqliteRunJournal.Open(journalPath, readOnly: true);
                    var degenerate = DegenerateOutput.Detect(journal.Recorded);
                    if (degenerate is not null)
                        stderr.WriteLine($"  degenerate: {degenerate}");
                    var best = result.History.Items.Where(s => s.Step >= 0).Select(s => (double?)s.Score).DefaultIfEmpty().Max();
                    cells.Add(new SweepCell(alpha, layer, runName, best, result.Final.TrainFitness.Score, degenerate, false));
                }
            }

            var chosen = cells.Where(c => c.Degenerate is null).OrderByDescending(c => c.FinalTrain).FirstOrDefault();
            var grid = new SweepGrid(cells.Select(c => c with { Chosen = ReferenceEquals(c, chosen) }).ToList());
            ReportFiles.WriteSweep(sweepFolder, grid);
            Print(stdout, grid);
            stdout.WriteLine(chosen is null
                ? "chosen   none: every run was degenerate"
                : $"chosen   {Path.Combine(sweepFolder, chosen.RunId)}");
            return 0;
        }
        finally
        {
            await RunExecutor.DisposeAsync(proposer.Proposer, proposer.Embedder, fitness.Fitness).ConfigureAwait(false);
        }
    }

    private static void Print(TextWriter stdout, SweepGrid grid)
    {
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Format(c, "{0,6}  {1,5}  {2,10}  {3,11}  {4}", "alpha", "layer", "best train", "final train", "note"));
        foreach (var cell in grid.Cells)
            stdout.WriteLine(string.Format(c, "{0,6:0.###}  {1,5}  {2,10:0.0}  {3,11:0.0}  {4}", cell.Alpha, cell.Layer, cell.BestTrain, cell.FinalTrain,
                cell.Chosen ? "chosen" : cell.Degenerate is { } d ? "degenerate: " + d : ""));
    }
}

using System.Globalization;
using System.Reflection;
using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Core;
using Glov.Core.Journal;
using Glov.Core.Optimization;
using Glov.Runs;

namespace Glov.Cli.Commands;

/// <summary>Builds the components of a resolved config and runs the loop against a journal.</summary>
public static class RunExecutor
{
    public static string Version =>
        typeof(RunExecutor).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    /// <param name="journalPath">Existing journal to continue, or where a new one is created.</param>
    public static async Task<int> ExecuteAsync(RunConfig config, string journalPath, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var display = ProgressDisplay.For(stderr);
        var (result, metric) = await display.RunAsync(async log =>
        {
            var proposer = await config.CreateProposer(ct, display).ConfigureAwait(false);
            var fitness = await config.CreateFitness(ct, display).ConfigureAwait(false);
            try
            {
                return (await LoopAsync(config, proposer, fitness, journalPath, log, display, ct).ConfigureAwait(false), fitness.Fitness.MetricName);
            }
            finally
            {
                await DisposeAsync(proposer.Proposer, proposer.Embedder, fitness.Fitness).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        PrintResult(stdout, journalPath, result, metric);
        return 0;
    }

    /// <summary>Runs the loop with components the caller owns (a sweep reuses them across runs).</summary>
    public static async Task<OptimizationResult> RunWithAsync(RunConfig config, ProposerBinding proposer, FitnessBinding fitness,
        string journalPath, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var display = ProgressDisplay.For(stderr);
        var result = await display.RunAsync(log => LoopAsync(config, proposer, fitness, journalPath, log, display, ct)).ConfigureAwait(false);
        PrintResult(stdout, journalPath, result, fitness.Fitness.MetricName);
        return result;
    }

    /// <param name="stderr">Where the run's own lines go: through the display, which keeps them above a live display.</param>
    private static async Task<OptimizationResult> LoopAsync(RunConfig config, ProposerBinding proposer, FitnessBinding fitness,
        string journalPath, TextWriter stderr, ProgressDisplay display, CancellationToken ct)
    {
        var settings = config.For(fitness);
        Optimizer.Validate(proposer.Proposer, proposer.Embedder, fitness.Fitness, settings);
        var inputs = RunInputs.Fingerprint(proposer.Inputs.Concat(fitness.Inputs));
        using var journal = SqliteRunJournal.Exists(journalPath)
            ? SqliteRunJournal.Open(journalPath)
            : SqliteRunJournal.Create(journalPath, new RunManifest(config.Resolved.ToJsonString(), config.Hash, config.Seed, Version, DateTimeOffset.UtcNow) { Inputs = inputs });
        if (journal.Manifest.ConfigHash != config.Hash)
            throw Mismatch(journalPath, journal.Manifest, config);
        RunInputs.Check(journal, inputs);

        stderr.Write(config.Defaults.Describe());
        foreach (var note in ProtocolNotes.For(config.Resolved))
            stderr.WriteLine($"note      {note}");
        var devices = proposer.Devices.Concat(fitness.Devices).ToList();
        foreach (var device in devices)
            stderr.WriteLine($"device   {device}");
        journal.RecordDevices(devices);
        // The same budget glov preview prints for this config (one model, read from the config and file headers).
        stderr.Write((await Budget.RunBudget.EstimateAsync(config, ct).ConfigureAwait(false)).Describe());
        var optimizer = new Optimizer(proposer.Proposer, proposer.Embedder, fitness.Fitness, journal, settings);
        optimizer.Progress += display.Show;
        optimizer.Working += display.Show;
        Action<string> log = stderr.WriteLine;
        var llama = proposer.Proposer as LlamaCpp.Engine.LlamaProposer;
        if (llama is not null)
            llama.Notice += log;
        try
        {
            var result = await optimizer.RunAsync(ct).ConfigureAwait(false);
            display.Flush();
            return result;
        }
        finally
        {
            if (llama is not null)
                llama.Notice -= log;
        }
    }

    public static GlovUserException Mismatch(string journalPath, RunManifest manifest, RunConfig config)
    {
        var recorded = System.Text.Json.Nodes.JsonNode.Parse(manifest.ConfigJson)!.AsObject();
        var keys = config.DifferencesFrom(recorded);
        var shown = keys.Count == 0 ? "settings resolve differently in this glov version" : string.Join(", ", keys.Take(4)) + (keys.Count > 4 ? ", ..." : "");
        return new GlovUserException($"{journalPath}: the journal was written by a different config ({shown}); choose another run name, or resume it with its own config");
    }

    private static void PrintResult(TextWriter stdout, string journalPath, OptimizationResult result, string metric)
    {
        var c = CultureInfo.InvariantCulture;
        var final = result.Final;
        stdout.WriteLine($"journal  {journalPath}");
        stdout.WriteLine($"stopped  {ConfigSection.Snake(result.StopReason)} after {result.StepsCompleted} steps, {result.History.Count} templates scored");
        var from = final.Step is { } step ? $"step {step + 1}" : "the whole run";
        stdout.WriteLine(string.Format(c, "final    {0} from {1}: train {2} {3:0.0}", ConfigSection.Snake(final.Mode), from, metric, final.TrainFitness.Score));
        foreach (var t in final.Ensemble)
            stdout.WriteLine($"  {Glov.Core.Text.TerminalText.Safe(t.Text)}");
        if (Glov.Generative.Safety.SafetyRates.TryFromHits(final.TrainFitness.PerClass) is { } rates
            && result.History.Items.FirstOrDefault(i => i.Step < 0) is { } seed
            && Glov.Generative.Safety.SafetyRates.TryFromHits(seed.Fitness.PerClass) is { } seedRates)
            stdout.WriteLine(string.Format(c, "safety   train attack success {0:0.0}% → {1:0.0}%, benign refusal {2:0.0}% → {3:0.0}% (seed → final)",
                seedRates.AttackSuccessRate, rates.AttackSuccessRate, seedRates.BenignRefusalRate, rates.BenignRefusalRate));
    }

    public static async Task DisposeAsync(params object?[] components)
    {
        foreach (var component in components.Where(c => c is not null).Distinct())
        {
            if (component is IAsyncDisposable a)
                await a.DisposeAsync().ConfigureAwait(false);
            else if (component is IDisposable d)
                d.Dispose();
        }
    }
}

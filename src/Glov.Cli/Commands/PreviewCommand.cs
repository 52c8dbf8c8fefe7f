using System.CommandLine;
using Glov.Cli.Budget;
using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Cli.Evaluation;
using Glov.Core.Templates;

namespace Glov.Cli.Commands;

/// <summary><c>glov preview --config run.yaml</c>: the budget a run will need, timed by a short calibration.</summary>
public static class PreviewCommand
{
    public static Command Create(ComponentRegistry registry, TextWriter stdout, TextWriter stderr)
    {
        var config = new Option<string>("--config") { Description = "The run's YAML config", Required = true };
        var skip = new Option<bool>("--no-calibration") { Description = "Only count; do not time proposer and fitness calls" };
        var set = new Option<string[]>("--set") { Description = "Override a config key (repeatable): --set optimizer.steps=20" };
        var command = new Command("preview", "Show the LLM tokens, encoder calls and time a run will need, without starting it") { config, skip, set };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetRequiredValue(config);
            var input = YamlConfig.Load(path);
            ConfigOverrides.Apply(input, parse.GetValue(set));
            var resolved = RunConfig.Resolve(input, path, Path.GetDirectoryName(Path.GetFullPath(path))!, registry);
            var proposer = await resolved.CreateProposer(ct).ConfigureAwait(false);
            var fitness = await resolved.CreateFitness(ct).ConfigureAwait(false);
            try
            {
                var baselines = resolved.SeedTemplate.Kind == PromptKind.ClassTemplate
                    ? Baseline.DatasetEnsemble(resolved.Evaluation.BaselineTemplates, resolved.Dataset).Templates.Count + 1
                    : 1;
                var calibration = parse.GetValue(skip) ? null : await BudgetPreview.CalibrateAsync(resolved, proposer, fitness, ct).ConfigureAwait(false);
                stdout.Write(resolved.Defaults.Describe());
                foreach (var note in ProtocolNotes.For(resolved.Resolved))
                    stdout.WriteLine($"note      {note}");
                stdout.Write(BudgetPreview.Estimate(resolved, proposer, fitness, baselineTemplates: baselines, calibration: calibration).Describe());
                return 0;
            }
            finally
            {
                await RunExecutor.DisposeAsync(proposer.Proposer, proposer.Embedder, fitness.Fitness).ConfigureAwait(false);
            }
        });
        return command;
    }
}

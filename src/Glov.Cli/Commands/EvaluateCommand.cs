using System.CommandLine;
using System.Globalization;
using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Cli.Evaluation;
using Glov.Core.Templates;
using Glov.Reports.Evaluation;
using Glov.Reports.Model;

namespace Glov.Cli.Commands;

/// <summary><c>glov evaluate &lt;run&gt;</c>: the selected ensemble on the test split beside the baselines, one table;
/// the numbers go to <c>evaluation.json</c> in the run folder for <c>glov report</c>.</summary>
public static class EvaluateCommand
{
    public static Command Create(ComponentRegistry registry, TextWriter stdout, TextWriter stderr)
    {
        var run = new Argument<string>("run") { Description = "Run name in --runs-dir, run folder, or journal file" };
        var runsDir = RunStore.RunsDirOption();
        var templates = new Option<string?>("--templates") { Description = "Template file of the dataset-ensemble baseline (overrides evaluation.baseline_templates)" };
        var limit = new Option<int?>("--test-limit") { Description = "At most this many test images (overrides evaluation.test_limit)" };
        var command = new Command("evaluate", "Score the selected ensemble and the baselines on the test split") { run, runsDir, templates, limit };
        command.SetAction(async (parse, ct) =>
        {
            var info = RecordedRunInfo.Load(parse.GetRequiredValue(run), parse.GetRequiredValue(runsDir));
            if (parse.GetValue(templates) is { } file)
                RunConfig.Override(info.Config, "evaluation.baseline_templates", Path.GetFullPath(file));
            if (parse.GetValue(limit) is { } l)
                RunConfig.Override(info.Config, "evaluation.test_limit", l);
            var evaluation = await RunAsync(info, registry, stderr, ct).ConfigureAwait(false);
            ReportFiles.WriteEvaluation(info.Folder, evaluation);
            Print(stdout, evaluation);
            stdout.WriteLine($"written  {Path.Combine(info.Folder, ReportFiles.EvaluationFile)}");
            return 0;
        });
        return command;
    }

    public static async Task<RunEvaluation> RunAsync(RecordedRunInfo info, ComponentRegistry registry, TextWriter stderr, CancellationToken ct)
    {
        var trainConfig = info.Resolve(registry);
        var testConfig = info.Resolve(registry, CompositionContext.TestSplit);
        var kind = trainConfig.SeedTemplate.Kind;
        var baselines = Baselines(trainConfig);
        var display = ProgressDisplay.For(stderr);
        return await display.RunAsync(async log =>
        {
            log.WriteLine($"evaluate {info.Name}: loading the scorer for the train and test splits");
            var train = await trainConfig.CreateFitness(ct, display).ConfigureAwait(false);
            try
            {
                var test = await testConfig.CreateFitness(ct, display).ConfigureAwait(false);
                foreach (var device in train.Devices.Concat(test.Devices).Distinct())
                    log.WriteLine($"device   {device}");
                try
                {
                    return await Evaluator.EvaluateAsync(info.Recorded, kind, trainConfig.Settings.EnsembleSize, train.Fitness, test.Fitness, baselines, ct, display)
                        .ConfigureAwait(false);
                }
                finally
                {
                    await RunExecutor.DisposeAsync(test.Fitness).ConfigureAwait(false);
                }
            }
            finally
            {
                await RunExecutor.DisposeAsync(train.Fitness).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Class templates: "a photo of a {}.", CLIP's ensemble for the dataset, the random-descriptor control
    /// of the ensemble's size (seeded by the run), the run's seed template. Other kinds: the seed prompt.</summary>
    public static IReadOnlyList<Baseline> Baselines(RunConfig config)
    {
        if (config.SeedTemplate.Kind != PromptKind.ClassTemplate)
            return [Baseline.Seed(config.SeedTemplate) with { Method = "seed prompt" }];
        var ensemble = Baseline.DatasetEnsemble(config.Evaluation.BaselineTemplates, config.Catalog?.Entry.Name ?? config.Dataset);
        return [Baseline.SingleTemplate(), ensemble, Baseline.RandomDescriptors(ensemble.Templates.Count, config.Seed), Baseline.Seed(config.SeedTemplate)];
    }

    public static void Print(TextWriter stdout, RunEvaluation evaluation)
    {
        var c = CultureInfo.InvariantCulture;
        var width = Math.Max(6, evaluation.Results.Max(r => r.Method.Length));
        var safety = evaluation.Results.Any(r => r.Safety is not null);
        stdout.WriteLine(string.Format(c, "{0}  {1,9}  {2,6}  {3,6}", "method".PadRight(width), "templates", "train", "test")
            + (safety ? "  attack success  benign refusal" : ""));
        foreach (TestResult r in evaluation.Results)
            stdout.WriteLine(string.Format(c, "{0}  {1,9}  {2,6:0.0}  {3,6:0.0}", r.Method.PadRight(width), r.TemplateCount, r.TrainScore, r.TestScore)
                + (r.Safety is { } s ? string.Format(c, "  {0,13:0.0}%  {1,13:0.0}%", s.AttackSuccessRate, s.BenignRefusalRate) : ""));
        stdout.WriteLine(string.Format(c, "test {0}: {1} ({2} split)", safety ? "requests" : "images", evaluation.TestImages, evaluation.Split));
    }
}

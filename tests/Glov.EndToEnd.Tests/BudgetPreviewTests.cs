using Glov.Cli.Budget;
using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Core.Proposing;

namespace Glov.EndToEnd.Tests;

public sealed class BudgetPreviewTests
{
    private static async Task<(RunConfig, ProposerBinding, FitnessBinding)> Load(Workspace ws, string guidance, params IProposerFactory[] proposers)
    {
        var path = ws.Write("run.yaml", $$"""
            task: {dataset: CIFAR-10, shots: 2}
            optimizer: {steps: 4, candidates: 5}
            sampling: {max_new_tokens: 30}
            guidance: {{guidance}}
            evaluation: {test_limit: 200}
            proposer: {kind: {{proposers[0].Kind}}}
            fitness: {kind: keyword, classes: [a, b, c, d, e, f, g, h, i, j]}
            """);
        var registry = new ComponentRegistry(proposers, [new Glov.Cli.Demo.KeywordFitnessFactory()]);
        var config = RunConfig.Resolve(YamlConfig.Load(path), path, ws.Root, registry);
        return (config, await config.CreateProposer(default), await config.CreateFitness(default));
    }

    [Fact]
    public async Task Counts_follow_from_steps_candidates_classes_shots_and_token_limit()
    {
        using var ws = new Workspace();
        var (config, proposer, fitness) = await Load(ws, "{enabled: false}", new Glov.Cli.Demo.ScriptedProposerFactory());

        var estimate = BudgetPreview.Estimate(config, proposer, fitness, baselineTemplates: 18);

        Assert.Equal(4 * 5 * 30, estimate.GeneratedTokens);
        Assert.Equal(4 * 5 * 30, estimate.DecodedTokens);
        Assert.Equal(0, estimate.GuidanceEmbeddings);
        Assert.Equal(1 + 4 * 5, estimate.TemplatesScored);
        Assert.Equal((1 + 4 * 5) * 10, estimate.TextEncodings);
        Assert.Equal(20, estimate.TrainImages);
        Assert.Equal(200, estimate.TestImages);
        Assert.Equal((2 + 18 + 18 + 3) * 10, estimate.EvaluationTextEncodings); // photo-of + seed, ensemble, its random control, top-3
        Assert.True(estimate.PromptTokens > 0);
        Assert.Null(estimate.OptimizeTime);
    }

    [Fact]
    public async Task Exact_steering_doubles_the_decoder_passes_and_embeds_two_templates_a_step()
    {
        using var ws = new Workspace();
        var (config, proposer, fitness) = await Load(ws, "{enabled: true, mode: exact}", new CountingProposerFactory());

        var estimate = BudgetPreview.Estimate(config, proposer, fitness);

        Assert.Equal(2 * estimate.GeneratedTokens, estimate.DecodedTokens);
        Assert.Equal(8, estimate.GuidanceEmbeddings);
        Assert.Equal(1 + 15.5, BudgetPreview.DecodeFactor(true, SteeringMode.Recompute, 1, 30));
        Assert.Equal(1, BudgetPreview.DecodeFactor(true, SteeringMode.Cached, 100, 30));
    }

    [Fact]
    public async Task Calibration_times_real_calls_and_turns_counts_into_a_time()
    {
        using var ws = new Workspace();
        var (config, proposer, fitness) = await Load(ws, "{enabled: false}", new Glov.Cli.Demo.ScriptedProposerFactory());

        var calibration = await BudgetPreview.CalibrateAsync(config, proposer, fitness, default);
        var estimate = BudgetPreview.Estimate(config, proposer, fitness, calibration: calibration);

        Assert.True(calibration.PerCandidate >= TimeSpan.Zero && calibration.PerTemplate >= TimeSpan.Zero);
        // The scripted proposer reports one prompt token per word, so a token is several characters.
        Assert.InRange(calibration.TokensPerChar, 0.05, 0.5);
        var expected = calibration.PerCandidate * 20 + calibration.PerImage * 20 + calibration.PerTemplate * 21;
        Assert.Equal(expected, estimate.OptimizeTime);
        Assert.Contains("estimated time", estimate.Describe());
    }
}

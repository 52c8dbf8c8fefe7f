using Glov.Cli.Budget;
using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Core.Proposing;

namespace Glov.EndToEnd.Tests;

/// <summary>The one budget model of preview and optimize (<see cref="RunBudget"/>): counts from the settings,
/// and time as counted work at the nominal rates.</summary>
public sealed class BudgetPreviewTests
{
    private static RunConfig Load(Workspace ws, string settings, IProposerFactory? proposer = null, string extraSeeds = "[]")
    {
        proposer ??= new Glov.Cli.Demo.ScriptedProposerFactory();
        var path = ws.Write("run.yaml", $$"""
            task: {dataset: CIFAR-10, shots: 2, extra_seed_templates: {{extraSeeds}}}
            evaluation: {test_limit: 200}
            proposer: {kind: {{proposer.Kind}}}
            fitness: {kind: keyword, classes: [a, b, c, d, e, f, g, h, i, j]}
            {{settings}}
            """);
        var registry = new ComponentRegistry([proposer], [new Glov.Cli.Demo.KeywordFitnessFactory()]);
        return RunConfig.Resolve(YamlConfig.Load(path), path, ws.Root, registry);
    }

    [Fact]
    public async Task Counts_follow_from_steps_candidates_classes_shots_and_token_limit()
    {
        using var ws = new Workspace();
        var config = Load(ws, "optimizer: {steps: 4, candidates: 5}\nsampling: {max_new_tokens: 30}\nguidance: {enabled: false}");

        var estimate = await RunBudget.EstimateAsync(config, default);

        Assert.Equal(4 * 5 * 30, estimate.GeneratedTokens);
        Assert.Equal(4 * 5 * 30, estimate.DecoderRows);
        Assert.Equal(0, estimate.GuidanceEmbeddings);
        Assert.Equal(1 + 4 * 5, estimate.Templates);
        Assert.Equal(20, estimate.Items); // 2 shots x 10 classes
        Assert.Equal(200, estimate.TestImages);
        Assert.Equal(1 + 18 + 18 + 1 + 3, estimate.EvaluationTemplates); // photo-of, CIFAR-10's 18, their random control, seed, top-3
        Assert.Equal(4 * estimate.PromptTokensPerStep, estimate.PromptTokens);
        Assert.True(estimate.PromptTokensPerStep > 50, estimate.Describe());
        // The scripted proposer and the keyword scorer cost nothing measurable.
        Assert.Equal(TimeSpan.Zero, estimate.OptimizeTime);
    }

    [Fact]
    public async Task The_reproduce_profile_counts_75_new_tokens_for_every_step_that_can_be_steered()
    {
        using var ws = new Workspace();
        var config = Load(ws, "profile: reproduce\noptimizer: {steps: 4, candidates: 5}\nguidance: {mode: exact}", new CountingProposerFactory());

        var estimate = await RunBudget.EstimateAsync(config, default);

        // Step 1 has only the seed, so no pair to steer with: 50 new tokens; steps 2-4 may be steered: 75, decoded twice.
        Assert.Equal(5 * 50 + 3 * 5 * 75, estimate.GeneratedTokens);
        Assert.Equal(5 * 50 + 2 * 3 * 5 * 75, estimate.DecoderRows);
        Assert.Equal(2 * 3, estimate.GuidanceEmbeddings);
        Assert.Contains("at most 1,375 new tokens (50 a candidate, 75 while guided), 2,500 decoder rows", estimate.Describe());

        // Extra seeds give the first step a pair too.
        var seeded = await RunBudget.EstimateAsync(
            Load(ws, "profile: reproduce\noptimizer: {steps: 4, candidates: 5}", new CountingProposerFactory(), "[\"art of the {}.\"]"), default);
        Assert.Equal(4 * 5 * 75, seeded.GeneratedTokens);
        Assert.Equal(2 + 4 * 5, seeded.Templates);
    }

    [Fact]
    public async Task A_candidate_budget_ends_the_count_where_the_run_would_stop()
    {
        using var ws = new Workspace();
        var config = Load(ws, "optimizer: {steps: 4, candidates: 5}\nsampling: {max_new_tokens: 30}\nguidance: {enabled: false}\nbudget: {max_candidates: 12}");

        var estimate = await RunBudget.EstimateAsync(config, default);

        Assert.Equal(3, estimate.StepsRun); // 5 + 5 + 2
        Assert.Equal(12, estimate.Candidates);
        Assert.Equal(12 * 30, estimate.GeneratedTokens);
        Assert.Equal(3 * estimate.PromptTokensPerStep, estimate.PromptTokens);
        Assert.Contains("(budget.max_candidates 12: 3 steps get candidates)", estimate.Describe());
    }

    [Fact]
    public void Time_is_the_counted_work_at_the_nominal_rates()
    {
        using var ws = new Workspace();
        var config = Load(ws, "optimizer: {steps: 4, candidates: 5}\nsampling: {max_new_tokens: 30}\nguidance: {enabled: false}");
        var work = new FitnessWork(Enumerable.Range(0, 10).Select(i => $"c{i}").ToList(), 20, "train images", TimeSpan.FromSeconds(0.5),
            10, "text encodings", TimeSpan.FromSeconds(0.01));
        var rates = NominalRates.ForCores(2); // 100 GFLOP/s, 30 GB/s
        var llm = new ModelSize(1_000_000_000, 2_000_000_000);

        var estimate = RunBudget.Estimate(config, work, llm, rates);

        // A step: the prompt at 2 GFLOP a token, then 30 passes of 5 rows, each max(5 x 2 GFLOP / 100 GFLOP/s, 2 GB / 30 GB/s) = 0.1 s.
        var p = estimate.PromptTokensPerStep;
        Assert.Equal(4 * (p * 0.02 + 30 * 0.1), estimate.LlmTime!.Value.TotalSeconds, 4);
        Assert.Equal(20 * 0.5 + 21 * 10 * 0.01, estimate.ScoringTime.TotalSeconds, 4);
        Assert.Equal(estimate.LlmTime + estimate.ScoringTime, estimate.OptimizeTime);

        // One candidate a step: a pass reads all weights, so memory decides (2 GB / 30 GB/s).
        var single = RunBudget.Estimate(Load(ws, "optimizer: {steps: 4, candidates: 1}\nsampling: {max_new_tokens: 30}\nguidance: {enabled: false}"), work, llm, rates);
        Assert.Equal(4 * (p * 0.02 + 30 * 2.0 / 30), single.LlmTime!.Value.TotalSeconds, 4);

        // A remote proposer: no LLM time, and the line says so.
        var remote = RunBudget.Estimate(config, work, null, rates);
        Assert.Null(remote.OptimizeTime);
        Assert.Contains("the remote proposer's time is not estimated", remote.Describe());
        Assert.Contains("an estimate, not a measurement", estimate.Describe());
    }

    [Fact]
    public void Recompute_reruns_the_prefix_for_every_token()
    {
        Assert.Equal(1 + 15.5, RunBudget.DecodeFactor(true, SteeringMode.Recompute, 1, 30));
        Assert.Equal(2, RunBudget.DecodeFactor(true, SteeringMode.Exact, 100, 30));
        Assert.Equal(1, RunBudget.DecodeFactor(true, SteeringMode.Cached, 100, 30));
        Assert.Equal(1, RunBudget.DecodeFactor(false, SteeringMode.Exact, 100, 30));
    }

    [Fact]
    public void CLIP_costs_come_from_the_tower_shapes_with_Hugging_Face_defaults()
    {
        using var ws = new Workspace();
        var rates = NominalRates.ForCores(1);
        Directory.CreateDirectory(ws.PathOf("default"));
        var defaults = ClipCosts.Read(ws.PathOf("default"), rates);
        // ViT-B/32's 12 blocks hold 85.0 M weights (width 768, feed-forward 3072); its text tower's 37.7 M.
        Near(2 * 84_934_656.0 * (7 * 7 + 1) / 50e9, defaults.PerImage);
        Near(2 * 37_748_736.0 * 77 / 50e9, defaults.PerText);

        ws.Write("small/config.json", """
            {"text_config": {"hidden_size": 640, "num_hidden_layers": 2, "max_position_embeddings": 16},
             "vision_config": {"hidden_size": 320, "intermediate_size": 640, "num_hidden_layers": 3, "image_size": 64, "patch_size": 16}}
            """);
        var small = ClipCosts.Read(ws.PathOf("small"), rates);
        Near(2 * 3 * (4 * 320.0 * 320 + 2 * 320 * 640) * 17 / 50e9, small.PerImage);
        Near(2 * 2 * (4 * 640.0 * 640 + 2 * 640 * 2560) * 16 / 50e9, small.PerText);
    }

    private static void Near(double expectedSeconds, TimeSpan actual) =>
        Assert.InRange(actual.TotalSeconds, expectedSeconds - 1e-6, expectedSeconds + 1e-6);
}

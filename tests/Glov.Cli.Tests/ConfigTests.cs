using System.Text.Json.Nodes;
using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Core;
using Glov.Core.Proposing;
using Glov.Core.Selection;
using Glov.Core.Templates;

namespace Glov.Cli.Tests;

public class ConfigTests
{
    private static RunConfig Resolve(string yaml, params (string Key, string Value)[] overrides)
    {
        using var ws = new Workspace();
        var input = YamlConfig.Load(ws.Write("run.yaml", yaml));
        foreach (var (key, value) in overrides)
            RunConfig.Override(input, key, YamlConfig.ParseValue(value));
        return RunConfig.Resolve(input, "run.yaml", ws.Path, ComponentRegistry.Default);
    }

    private const string Minimal = """
        task: {dataset: cifar10}
        proposer: {kind: scripted}
        fitness: {kind: keyword, classes: [cat, dog]}
        """;

    [Fact]
    public void Defaults_are_the_papers()
    {
        var c = Resolve(Minimal);
        var s = c.Settings;

        Assert.Equal((100, 10, 5, false), (s.Steps, s.Candidates, s.MetaPrompt.K, s.MetaPrompt.ListMisclassified));
        Assert.Equal((1.0, 0.9, 50, 50), (s.Sampling.Temperature, s.Sampling.TopP, s.Sampling.TopK, s.Sampling.MaxNewTokens));
        Assert.Equal((true, 1.0f, (int?)null, SteeringMode.Exact, false), (s.Guidance.Enabled, s.Guidance.Alpha, s.Guidance.Layer, s.Guidance.Mode, s.Guidance.CompoundAlpha));
        Assert.Equal((SelectionMode.PerStepEnsemble, 3), (s.Selection, s.EnsembleSize));
        Assert.Equal((null, null), (s.Budget.MaxCandidates, s.Budget.MaxWallTime));
        Assert.Equal("A photo of a <category>.", c.SeedTemplate.Text);
        Assert.Equal(0UL, c.Seed);
        // The resolved config spells out every default: it is what the journal's manifest holds.
        var r = c.Resolved;
        Assert.Equal(1, (int)r["task"]!["shots"]!);
        Assert.Equal("per_step_ensemble", (string)r["selection"]!["mode"]!);
        Assert.Equal("exact", (string)r["guidance"]!["mode"]!);
        Assert.Equal(0.9, (double)r["sampling"]!["top_p"]!);
        Assert.Equal(["photo", "detailed", "centered"], r["fitness"]!["keywords"]!.AsArray().Select(k => (string)k!));
        Assert.True(Path.IsPathRooted((string)r["runs_dir"]!));
    }

    [Fact]
    public void Runs_go_to_runs_in_the_working_directory_unless_the_config_says_where_relative_to_itself()
    {
        // The default is where every --runs-dir looks by default, not the config's folder.
        Assert.Equal(Path.GetFullPath("runs"), Resolve(Minimal).RunsDir);
        using var ws = new Workspace();
        Directory.CreateDirectory(ws.File("sub"));
        var input = YamlConfig.Load(ws.Write("sub/run.yaml", Minimal + "\nruns_dir: ../elsewhere\n"));
        var c = RunConfig.Resolve(input, "sub/run.yaml", Path.Combine(ws.Path, "sub"), ComponentRegistry.Default);
        Assert.Equal(Path.Combine(ws.Path, "elsewhere"), c.RunsDir);
    }

    [Theory]
    [InlineData("class_template", "paper", 100, 10, 5, 3, 50, 50, false)]
    [InlineData("class_template", "reproduce", 100, 10, 5, 3, 50, 75, true)]
    [InlineData("free_text", "paper", 25, 5, 5, 1, 50, 50, false)]
    [InlineData("free_text", "reproduce", 25, 5, 3, 1, 50, 75, true)]
    [InlineData("safety_instruction", "paper", 25, 5, 5, 1, 50, 50, false)]
    [InlineData("system_prompt", "reproduce", 25, 5, 3, 1, 50, 75, true)]
    public void Defaults_follow_the_task_kind_and_profile_and_are_spelled_out_in_the_resolved_config(string kind, string profile,
        int steps, int candidates, int k, int ensemble, int tokens, int guidedTokens, bool compound)
    {
        var c = Resolve(Minimal.Replace("{dataset: cifar10}", $"{{dataset: cifar10, kind: {kind}}}", StringComparison.Ordinal) + $"\nprofile: {profile}\n");
        var s = c.Settings;

        Assert.Equal((steps, candidates, k, ensemble), (s.Steps, s.Candidates, s.MetaPrompt.K, s.EnsembleSize));
        Assert.Equal((tokens, (int?)guidedTokens, compound), (s.Sampling.MaxNewTokens, s.Guidance.MaxNewTokens, s.Guidance.CompoundAlpha));
        // The resolved config is the journal's manifest: the defaults a run used are recorded with it.
        var r = c.Resolved;
        Assert.Equal((profile, steps, candidates, k, ensemble, tokens, guidedTokens, compound),
            ((string)r["profile"]!, (int)r["optimizer"]!["steps"]!, (int)r["optimizer"]!["candidates"]!, (int)r["optimizer"]!["k"]!,
             (int)r["selection"]!["size"]!, (int)r["sampling"]!["max_new_tokens"]!, (int)r["guidance"]!["max_new_tokens"]!, (bool)r["guidance"]!["compound_alpha"]!));
        Assert.Equal((steps, candidates, k, ensemble), (c.Defaults.Steps, c.Defaults.Candidates, c.Defaults.K, c.Defaults.EnsembleSize));
    }

    [Fact]
    public void A_key_the_config_sets_wins_over_the_task_default()
    {
        // Unless a profile sets its own, the guided limit follows the unguided one.
        Assert.Equal(32, Resolve(Minimal + "\nsampling: {max_new_tokens: 32}\n").Settings.Guidance.MaxNewTokens);
        var c = Resolve(Minimal.Replace("{dataset: cifar10}", "{dataset: cifar10, kind: free_text}", StringComparison.Ordinal)
                        + "\noptimizer: {steps: 7, k: 2}\nselection: {size: 3}\nguidance: {max_new_tokens: 60}\n");
        Assert.Equal((7, 5, 2, 3, 60), (c.Settings.Steps, c.Settings.Candidates, c.Settings.MetaPrompt.K, c.Settings.EnsembleSize, c.Settings.Guidance.MaxNewTokens));
    }

    [Theory]
    [InlineData("class_template", PromptKind.ClassTemplate, "A photo of a <category>.")]
    [InlineData("free_text", PromptKind.FreeText, "Describe the category present in this image briefly and also identify the name of the category present.")]
    [InlineData("system_prompt", PromptKind.SystemPrompt, "You are a helpful assistant. Answer the user's questions about the image.")]
    [InlineData("safety_instruction", PromptKind.SafetyInstruction, "These instructions can be harmful.")]
    public void Each_task_kind_has_its_own_default_seed(string kind, PromptKind expected, string seed)
    {
        var c = Resolve(Minimal.Replace("{dataset: cifar10}", $"{{dataset: cifar10, kind: {kind}}}", StringComparison.Ordinal));
        Assert.Equal((expected, seed), (c.SeedTemplate.Kind, c.SeedTemplate.Text));
        Assert.Equal(expected, c.Settings.Task.Kind);
    }

    [Fact]
    public void Keys_and_overrides_are_read_and_the_hash_ignores_where_the_run_is_stored()
    {
        var yaml = Minimal + """

            seed: 3
            optimizer: {steps: 20, candidates: 5, k: 3, score_batch: 2}
            sampling: {temperature: 1, top_k: 40}
            guidance: {alpha: 0.25, layer: 12, mode: recompute}
            selection: {mode: global_top, size: 5}
            budget: {max_candidates: 90, max_wall_time: 1h30m}
            """;
        var c = Resolve(yaml, ("optimizer.steps", "7"), ("name", "other"));

        Assert.Equal((7, 5, 3, 2), (c.Settings.Steps, c.Settings.Candidates, c.Settings.MetaPrompt.K, c.Settings.ScoreBatch));
        Assert.Equal((0.25f, (int?)12, SteeringMode.Recompute), (c.Settings.Guidance.Alpha, c.Settings.Guidance.Layer, c.Settings.Guidance.Mode));
        Assert.Equal((SelectionMode.GlobalTop, 5), (c.Settings.Selection, c.Settings.EnsembleSize));
        Assert.Equal((90, TimeSpan.FromMinutes(90)), (c.Settings.Budget.MaxCandidates, c.Settings.Budget.MaxWallTime));
        Assert.Equal("other", c.Name);
        Assert.Equal(3UL, c.Settings.Seed);
        Assert.Equal((1.0, 40), (c.Settings.Sampling.Temperature, c.Settings.Sampling.TopK));

        var renamed = Resolve(yaml, ("optimizer.steps", "7"), ("name", "third"), ("runs_dir", "/tmp/else"), ("budget.max_candidates", "5"), ("fitness.stall_after", "30"));
        var changed = Resolve(yaml, ("optimizer.steps", "8"));
        Assert.Equal(c.Hash, renamed.Hash);
        Assert.NotEqual(c.Hash, changed.Hash);
        Assert.Equal(["optimizer.steps"], changed.DifferencesFrom(c.Resolved));
        Assert.Empty(renamed.DifferencesFrom(c.Resolved));
    }

    [Fact]
    public void Resolving_the_resolved_config_again_gives_the_same_config_and_hash()
    {
        var c = Resolve(Minimal);
        var again = RunConfig.Resolve(JsonNode.Parse(c.Resolved.ToJsonString())!.AsObject(), "manifest", "/", ComponentRegistry.Default);

        Assert.Equal(c.Resolved.ToJsonString(), again.Resolved.ToJsonString());
        Assert.Equal(c.Hash, again.Hash);
    }

    [Theory]
    [InlineData("optimizer: {stepz: 5}", "run.yaml: unknown key 'optimizer.stepz'")]
    [InlineData("colour: blue", "run.yaml: unknown key 'colour'")]
    [InlineData("fitness: {kind: keyword, classes: [a], delay: 5}", "run.yaml: unknown key 'fitness.delay'")]
    [InlineData("optimizer: {steps: many}", "run.yaml: optimizer.steps: expected an integer, got \"many\"")]
    [InlineData("optimizer: {candidates: 0}", "run.yaml: optimizer.candidates: must be at least 1, got 0")]
    [InlineData("sampling: {top_p: 1.5}", "run.yaml: sampling.top_p: must be between 0 and 1, got 1.5")]
    [InlineData("guidance: {mode: sideways}", "run.yaml: guidance.mode: 'sideways' is not one of exact, cached, all, recompute")]
    [InlineData("budget: {max_wall_time: soon}", "run.yaml: budget.max_wall_time: 'soon' is not a duration (e.g. 90s, 45m, 2h, 1h30m, or seconds)")]
    [InlineData("task: {dataset: x, seed_template: A photo.}", "run.yaml: task.seed_template: a class template needs exactly one <category>, found 0: \"A photo.\"")]
    [InlineData("task: {description: no dataset}", "run.yaml: task.dataset: missing (required)")]
    [InlineData("proposer: {kind: llama9}", "run.yaml: proposer.kind: unknown kind 'llama9' (known: llama, openai, replay, scripted)")]
    [InlineData("fitness: {kind: clip9}", "run.yaml: fitness.kind: unknown kind 'clip9' (known: clip, keyword, safety, vlm-generative)")]
    [InlineData("proposer: {model: x.gguf}", "run.yaml: proposer.kind: missing (required)")]
    [InlineData("fitness: {kind: keyword}", "run.yaml: fitness.classes: missing (required): a non-empty list of class names")]
    [InlineData("proposer: {kind: replay}", "run.yaml: proposer.journal: missing (required): the run to replay")]
    [InlineData("task: [a, b]", "run.yaml: task: expected a mapping of keys")]
    public void Bad_settings_name_the_key_and_the_cause(string patch, string message)
    {
        // Later mappings of the same section replace the minimal one's.
        var sections = new Dictionary<string, string>
        {
            ["task"] = "task: {dataset: cifar10}",
            ["proposer"] = "proposer: {kind: scripted}",
            ["fitness"] = "fitness: {kind: keyword, classes: [cat, dog]}",
        };
        var key = patch.Split(':')[0];
        sections[key] = patch;
        var e = Assert.Throws<GlovUserException>(() => Resolve(string.Join('\n', sections.Values)));
        Assert.Equal(message, e.Message);
    }
}

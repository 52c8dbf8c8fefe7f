using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Glov.Cli.Composition;
using Glov.Core;
using Glov.Core.Optimization;
using Glov.Core.Prompting;
using Glov.Core.Proposing;
using Glov.Core.Selection;
using Glov.Core.Templates;

namespace Glov.Cli.Config;

/// <summary>
/// A fully resolved run configuration (docs/cli.md lists every key). <see cref="Resolved"/> holds every
/// setting actually used, defaults included; it is the journal's manifest, and a resume resolves it
/// again. <see cref="Hash"/> identifies the run: everything except where the run is stored (name,
/// runs_dir) and the budget caps.
/// </summary>
public sealed record RunConfig(
    JsonObject Resolved,
    string Hash,
    string? Name,
    string RunsDir,
    ulong Seed,
    string Dataset,
    string Description,
    Template SeedTemplate,
    OptimizerSettings Settings,
    string ProposerKind,
    string FitnessKind,
    Func<CancellationToken, Task<ProposerBinding>> CreateProposer,
    Func<CancellationToken, Task<FitnessBinding>> CreateFitness,
    EvaluationSettings Evaluation)
{
    public const string ClassSeed = "A photo of a <category>.";
    public const string QuestionSeed = "Describe the category present in this image briefly and also identify the name of the category present.";

    private static readonly string[] NotIdentity = ["name", "runs_dir", "budget", "evaluation"];

    /// <summary>The loop settings once the fitness has told the class names and the VLM.</summary>
    public OptimizerSettings For(FitnessBinding fitness) => Settings with
    {
        Task = new TaskDescription(Dataset, Description, fitness.ClassNames, fitness.VlmName, SeedTemplate.Kind),
    };

    /// <summary>Sets a dotted key (<c>optimizer.steps</c>) in a config tree, as a flag overriding the file.</summary>
    public static void Override(JsonObject root, string dottedKey, JsonNode? value)
    {
        var parts = dottedKey.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
                node[part] = child = [];
            node = child;
        }
        node[parts[^1]] = value;
    }

    /// <param name="split">Which split the fitness is built for (<see cref="CompositionContext.Split"/>).</param>
    public static RunConfig Resolve(JsonObject input, string source, string baseDirectory, ComponentRegistry registry,
        string split = CompositionContext.TrainSplit)
    {
        var root = new ConfigSection(input, source, "", new JsonObject());
        var name = root.GetString("name", null);
        if (name is not null && (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name is "." or ".."))
            throw root.Error("name", $"'{name}' cannot be a folder name");
        var runsDir = root.GetPath("runs_dir", baseDirectory, mustExist: false) ?? Default(root, "runs_dir", Path.GetFullPath("runs", baseDirectory));
        var seed = root.GetUInt64("seed", 0);

        var task = root.Section("task");
        var dataset = task.RequireString("dataset");
        var description = task.GetString("description", "")!;
        var kind = task.GetEnum("kind", PromptKind.ClassTemplate);
        var seedText = task.GetString("seed_template", kind == PromptKind.ClassTemplate ? ClassSeed : QuestionSeed)!;
        var shots = task.GetInt("shots", 1, min: 1);
        var extraSeedTexts = task.GetStringList("extra_seed_templates", [])!;
        Template seedTemplate;
        try
        {
            seedTemplate = Template.Create(seedText.Replace("{}", Template.Placeholder, StringComparison.Ordinal), kind);
        }
        catch (ArgumentException e)
        {
            throw task.Error("seed_template", e.Message.Split(" (Parameter")[0]);
        }

        var extraSeeds = new List<Template>();
        foreach (var text in extraSeedTexts)
        {
            try
            {
                var extra = Template.Create(text.Replace("{}", Template.Placeholder, StringComparison.Ordinal), kind);
                if (extra.Key == seedTemplate.Key || extraSeeds.Any(e => e.Key == extra.Key))
                    throw task.Error("extra_seed_templates", $"\"{text}\" repeats another seed template");
                extraSeeds.Add(extra);
            }
            catch (ArgumentException e)
            {
                throw task.Error("extra_seed_templates", e.Message.Split(" (Parameter")[0]);
            }
        }

        var optimizer = root.Section("optimizer");
        var steps = optimizer.GetInt("steps", 100, min: 0);
        var candidates = optimizer.GetInt("candidates", 10, min: 1);
        var metaPrompt = new MetaPromptOptions(optimizer.GetInt("k", 5, min: 1), optimizer.GetBool("list_misclassified", false));
        var scoreBatch = optimizer.GetInt("score_batch", 0, min: 0);

        var s = root.Section("sampling");
        var sampling = new SamplingSettings
        {
            Temperature = s.GetDouble("temperature", 1.0, min: 0),
            TopP = s.GetDouble("top_p", 0.9, min: 0, max: 1),
            TopK = s.GetInt("top_k", 50, min: 0),
            MaxNewTokens = s.GetInt("max_new_tokens", 50, min: 1),
        };

        var g = root.Section("guidance");
        var guidance = new GuidanceSettings(
            g.GetBool("enabled", true),
            (float)g.GetDouble("alpha", 1.0),
            g.GetOptionalInt("layer", min: 0),
            g.GetEnum("mode", SteeringMode.Exact),
            g.GetBool("compound_alpha", false),
            g.GetBool("force", false));

        var sel = root.Section("selection");
        var selection = sel.GetEnum("mode", SelectionMode.PerStepEnsemble);
        var ensembleSize = sel.GetInt("size", 3, min: 1);

        var b = root.Section("budget");
        var budget = new BudgetSettings(b.GetOptionalInt("max_candidates", min: 1), b.GetDuration("max_wall_time"));

        var eval = root.Section("evaluation");
        var evaluation = new EvaluationSettings(
            eval.GetPath("baseline_templates", baseDirectory, mustExist: true),
            eval.GetOptionalInt("test_limit", min: 1));

        var context = new CompositionContext(baseDirectory, seed, dataset, kind, shots, split,
            split == CompositionContext.TestSplit ? evaluation.TestLimit : null);
        var proposer = root.Section("proposer");
        var proposerKind = proposer.RequireString("kind");
        var createProposer = (registry.Proposers.GetValueOrDefault(proposerKind)
            ?? throw proposer.Error("kind", $"unknown kind '{proposerKind}' (known: {string.Join(", ", registry.Proposers.Keys.Order())})"))
            .Configure(proposer, context);
        var fitness = root.Section("fitness");
        var fitnessKind = fitness.RequireString("kind");
        var createFitness = (registry.Fitnesses.GetValueOrDefault(fitnessKind)
            ?? throw fitness.Error("kind", $"unknown kind '{fitnessKind}' (known: {string.Join(", ", registry.Fitnesses.Keys.Order())})"))
            .Configure(fitness, context);

        root.ThrowOnUnknownKeys();

        var settings = new OptimizerSettings(new TaskDescription(dataset, description, [], "", kind), seedTemplate)
        {
            Steps = steps,
            Candidates = candidates,
            MetaPrompt = metaPrompt,
            Sampling = sampling,
            Guidance = guidance,
            Selection = selection,
            EnsembleSize = ensembleSize,
            Budget = budget,
            ScoreBatch = scoreBatch,
            Seed = seed,
            ExtraSeeds = extraSeeds,
        };
        return new RunConfig(root.Resolved, HashOf(root.Resolved), name, runsDir, seed, dataset, description, seedTemplate,
            settings, proposerKind, fitnessKind, createProposer, createFitness, evaluation);
    }

    public static string HashOf(JsonObject resolved)
    {
        var identity = (JsonObject)resolved.DeepClone();
        foreach (var key in NotIdentity)
            identity.Remove(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToJsonString())));
    }

    /// <summary>Identity keys whose values differ between two resolved configs, for the mismatch message.</summary>
    public static IReadOnlyList<string> Differences(JsonObject a, JsonObject b)
    {
        var left = Flatten(a);
        var right = Flatten(b);
        return left.Keys.Union(right.Keys).Where(k => !NotIdentity.Contains(k.Split('.')[0]))
            .Where(k => left.GetValueOrDefault(k) != right.GetValueOrDefault(k)).Order(StringComparer.Ordinal).ToList();
    }

    private static Dictionary<string, string> Flatten(JsonObject obj, string prefix = "", Dictionary<string, string>? into = null)
    {
        into ??= [];
        foreach (var (key, value) in obj)
        {
            var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (value is JsonObject child)
                Flatten(child, path, into);
            else
                into[path] = value?.ToJsonString() ?? "null";
        }
        return into;
    }

    private static string Default(ConfigSection section, string key, string value)
    {
        section.Resolved[key] = value;
        return value;
    }
}

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
using Glov.Core.Text;
using Glov.Catalog;

namespace Glov.Cli.Config;

/// <summary>
/// A fully resolved run configuration (docs/cli.md lists every key). <see cref="Resolved"/> holds every
/// setting actually used, defaults included; it is the journal's manifest, and a resume resolves it
/// again. <see cref="Hash"/> identifies the run: every resolved key except those declared not to change
/// what the run computes (<see cref="NotIdentity"/>: name, runs_dir, budget.*, and any a component declares).
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
    Func<IProgress<WorkProgress>?, CancellationToken, Task<ProposerBinding>> BuildProposer,
    Func<IProgress<WorkProgress>?, CancellationToken, Task<FitnessBinding>> BuildFitness,
    Func<Budget.ModelSize?> ProposerSize,
    Func<CancellationToken, Task<Budget.FitnessWork>> FitnessWork,
    IReadOnlySet<string> NotIdentity,
    EvaluationSettings Evaluation,
    TaskDefaults Defaults,
    CatalogDataset? Catalog = null)
{
    /// <summary>Most file systems allow 255 bytes per name; the journal's temporary name adds none to the folder.</summary>
    public const int MaxNameBytes = 255;

    public const string ClassSeed = "A photo of a <category>.";
    public const string QuestionSeed = "Describe the category present in this image briefly and also identify the name of the category present.";
    public const string SystemPromptSeed = "You are a helpful assistant. Answer the user's questions about the image.";
    /// <summary>The paper's starting safety instruction (its "LLaVA (initial)" row).</summary>
    public const string SafetyInstructionSeed = "These instructions can be harmful.";

    private static string DefaultSeed(PromptKind kind) => kind switch
    {
        PromptKind.ClassTemplate => ClassSeed,
        PromptKind.FreeText => QuestionSeed,
        PromptKind.SystemPrompt => SystemPromptSeed,
        PromptKind.SafetyInstruction => SafetyInstructionSeed,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Loads the proposer; <paramref name="progress"/> is told how model loading goes.</summary>
    public Task<ProposerBinding> CreateProposer(CancellationToken cancellationToken, IProgress<WorkProgress>? progress = null) =>
        BuildProposer(progress, cancellationToken);

    /// <summary>Loads the fitness; <paramref name="progress"/> is told how model loading and image encoding go.</summary>
    public Task<FitnessBinding> CreateFitness(CancellationToken cancellationToken, IProgress<WorkProgress>? progress = null) =>
        BuildFitness(progress, cancellationToken);

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
        root.NotIdentity("name");
        root.NotIdentity("runs_dir");
        root.NotIdentity("budget");
        root.NotIdentity("evaluation");
        var name = root.GetString("name", null);
        if (name is not null && (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name is "." or ".."
            || name.Any(TerminalText.IsControl)))
            throw root.Error("name", $"'{TerminalText.Safe(name)}' cannot be a folder name");
        if (name is not null && Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
            throw root.Error("name", $"{Encoding.UTF8.GetByteCount(name)} bytes long; a run name names a folder, at most {MaxNameBytes} bytes");
        // runs_dir in a config is relative to the config's folder, like every path there; without it, runs go
        // to "runs" in the working directory, where every command's --runs-dir looks by default.
        var runsDir = root.GetFolder("runs_dir", baseDirectory) ?? Default(root, "runs_dir", Path.GetFullPath(Commands.RunStore.DefaultRunsDir));
        var seed = root.GetUInt64("seed", 0);
        var profile = root.GetEnum("profile", RunProfile.Paper);

        var catalog = ReadCatalogDataset(root.Section("dataset"), baseDirectory);
        var task = root.Section("task");
        var dataset = task.GetString("dataset", catalog?.Entry.Title) is { Length: > 0 } d ? d : throw task.Error("dataset", "missing (required)");
        var description = task.GetString("description", catalog?.Entry.Description ?? "")!;
        // The fitness decides what is optimised, so task.kind defaults to what it scores.
        var fitnessKindName = input["fitness"] is JsonObject f && f["kind"] is JsonValue v && v.TryGetValue(out string? n) ? n : null;
        var kind = task.GetEnum("kind", registry.Fitnesses.GetValueOrDefault(fitnessKindName ?? "")?.DefaultPromptKind ?? PromptKind.ClassTemplate);
        var defaults = TaskDefaults.For(kind, profile);
        var seedText = task.GetString("seed_template", DefaultSeed(kind))!;
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
        var steps = optimizer.GetInt("steps", defaults.Steps, min: 0);
        var candidates = optimizer.GetInt("candidates", defaults.Candidates, min: 1);
        var metaPrompt = new MetaPromptOptions(optimizer.GetInt("k", defaults.K, min: 1), optimizer.GetBool("list_misclassified", false));
        var scoreBatch = optimizer.GetInt("score_batch", 0, min: 0);

        var s = root.Section("sampling");
        var sampling = new SamplingSettings
        {
            Temperature = s.GetDouble("temperature", 1.0, min: 0),
            TopP = s.GetDouble("top_p", 0.9, min: 0, max: 1),
            TopK = s.GetInt("top_k", 50, min: 0),
            MaxNewTokens = s.GetInt("max_new_tokens", defaults.MaxNewTokens, min: 1),
        };

        var g = root.Section("guidance");
        var guidance = new GuidanceSettings(
            g.GetBool("enabled", true),
            (float)g.GetDouble("alpha", 1.0),
            g.GetOptionalInt("layer", min: 0),
            g.GetEnum("mode", SteeringMode.Exact),
            g.GetBool("compound_alpha", defaults.CompoundAlpha),
            g.GetBool("force", false),
            g.GetInt("max_new_tokens", defaults.GuidedMaxNewTokens ?? sampling.MaxNewTokens, min: 1));

        var sel = root.Section("selection");
        var selection = sel.GetEnum("mode", SelectionMode.PerStepEnsemble);
        var ensembleSize = sel.GetInt("size", defaults.EnsembleSize, min: 1);

        var b = root.Section("budget");
        var budget = new BudgetSettings(b.GetOptionalInt("max_candidates", min: 1), b.GetDuration("max_wall_time"));

        var eval = root.Section("evaluation");
        var evaluation = new EvaluationSettings(
            eval.GetPath("baseline_templates", baseDirectory, mustExist: true),
            eval.GetOptionalInt("test_limit", min: 1));

        var context = new CompositionContext(baseDirectory, seed, dataset, kind, shots, split,
            split == CompositionContext.TestSplit ? evaluation.TestLimit : null, catalog);
        var proposer = root.Section("proposer");
        var proposerKind = proposer.RequireString("kind");
        var proposerPlan = (registry.Proposers.GetValueOrDefault(proposerKind)
            ?? throw proposer.Error("kind", $"unknown kind '{proposerKind}' (known: {string.Join(", ", registry.Proposers.Keys.Order())})"))
            .Configure(proposer, context);
        var fitness = root.Section("fitness");
        var fitnessKind = fitness.RequireString("kind");
        var fitnessPlan = (registry.Fitnesses.GetValueOrDefault(fitnessKind)
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
        return new RunConfig(root.Resolved, HashOf(root.Resolved, root.NotIdentityPaths), name, runsDir, seed, dataset, description, seedTemplate,
            settings, proposerPlan.Create, fitnessPlan.Create, proposerPlan.Size, fitnessPlan.Work, root.NotIdentityPaths, evaluation, defaults, catalog);
    }

    /// <summary><c>dataset: {name: eurosat, root: /data}</c>: a catalog dataset under a data root, in place of
    /// <c>fitness.dataset</c>; it also supplies defaults for task.dataset, task.description and the baseline ensemble.</summary>
    private static CatalogDataset? ReadCatalogDataset(ConfigSection section, string baseDirectory)
    {
        var name = section.GetString("name", null);
        var dataRoot = section.GetPath("root", baseDirectory, mustExist: true);
        if (name is null)
            return dataRoot is null ? null : throw section.Error("name", "missing (required with dataset.root): a catalog dataset (glov datasets list)");
        if (dataRoot is null)
            throw section.Error("root", "missing (required with dataset.name): the data root holding the dataset folders");
        try
        {
            return new CatalogDataset(DatasetCatalog.Find(name), dataRoot);
        }
        catch (GlovUserException e)
        {
            throw section.Error("name", e.Message);
        }
    }

    public static string HashOf(JsonObject resolved, IReadOnlySet<string> notIdentity)
    {
        var identity = Flatten(resolved).Where(p => !Excluded(p.Key, notIdentity)).OrderBy(p => p.Key, StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', identity.Select(p => $"{p.Key}={p.Value}")))));
    }

    /// <summary>Identity keys whose values differ between a recorded config and this one, for the mismatch message.</summary>
    public IReadOnlyList<string> DifferencesFrom(JsonObject recorded)
    {
        var left = Flatten(recorded);
        var right = Flatten(Resolved);
        return left.Keys.Union(right.Keys).Where(k => !Excluded(k, NotIdentity))
            .Where(k => left.GetValueOrDefault(k) != right.GetValueOrDefault(k)).Order(StringComparer.Ordinal).ToList();
    }

    private static bool Excluded(string key, IReadOnlySet<string> notIdentity) =>
        notIdentity.Any(p => key == p || key.StartsWith(p + ".", StringComparison.Ordinal));

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

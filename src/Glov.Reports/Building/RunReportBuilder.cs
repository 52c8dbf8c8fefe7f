using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Glov.Core.Journal;
using Glov.Reports.Evaluation;
using Glov.Reports.Model;

namespace Glov.Reports.Building;

/// <summary>Turns what a run recorded (journal manifest and steps, evaluation, sweep) into a <see cref="RunReport"/>.
/// Steps are shown counted from 1 as the CLI prints them; the journal's step −1, the seed, becomes step 0.</summary>
public static class RunReportBuilder
{
    public static RunReport Build(
        string title,
        RunManifest manifest,
        RecordedRun recorded,
        RunEvaluation? evaluation = null,
        SweepGrid? sweep = null,
        IReadOnlyList<string>? notices = null)
    {
        var ensembles = evaluation?.StepEnsembles.ToDictionary(e => e.Step) ?? [];
        // The seed step stays in the curves as step 0: the starting point every later step is compared with.
        var steps = recorded.Steps.Values.OrderBy(s => s.Step).ToList();
        return new RunReport
        {
            Title = title,
            Notices = notices ?? [],
            Settings = Settings(manifest),
            Steps = steps.Select(s =>
            {
                var scores = s.Scores.Values.Select(r => r.Score).ToList();
                return new StepSummary(
                    Shown(s.Step),
                    scores.Count == 0 ? null : scores.Max(),
                    scores.Count == 0 ? null : scores.Average(),
                    ensembles.GetValueOrDefault(s.Step)?.TrainScore,
                    s.Start?.Guidance?.Norm)
                {
                    GuidancePair = s.Start?.Guidance is { } g ? (g.Positive, g.Negative) : null,
                    GeneratedTokens = s.Completions?.Sum(c => c.CompletionTokens),
                    PromptTokens = s.Completions is { Count: > 0 } answers ? answers.Max(c => c.PromptTokens) : null,
                    ReusedPromptTokens = s.PromptReuse?.ReusedTokens,
                    Seconds = s.Complete && s.StartedAt is { } from && s.CompletedAt is { } to ? (to - from).TotalSeconds : null,
                    MetaPrompt = s.Start is { } start ? string.Join("\n\n", start.Messages.Select(m => $"[{m.Role.ToString().ToLowerInvariant()}]\n{m.Content}")) : null,
                };
            }).ToList(),
            GuidanceOnStep = steps.FirstOrDefault(s => s.Start?.Guidance is not null) is { } on ? Shown(on.Step) : null,
            Candidates = recorded.Steps.Values.OrderBy(s => s.Step).SelectMany(Candidates).ToList(),
            Rejections = recorded.Steps.Values
                .SelectMany(s => s.Candidates ?? [])
                .Where(c => c.Reason is not null)
                .GroupBy(c => Describe(c.Reason!.Value))
                .Select(g => new RejectionCount(g.Key, g.Count()))
                .OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal)
                .ToList(),
            Final = recorded.Final is { } f
                ? new FinalEnsemble(f.Step is { } fs ? Shown(fs) : 0, f.Ensemble.Select(t => t.Text).ToList(), f.TrainFitness.Score)
                : null,
            TestResults = evaluation?.Results ?? [],
            PerClass = evaluation is null ? [] : PerClass(evaluation),
            Sweep = sweep,
        };
    }

    /// <summary>Seed against selected per class on test, largest gain first (ties by class name). A class without
    /// test images has no accuracy and is left out.</summary>
    public static IReadOnlyList<ClassChange> PerClass(RunEvaluation evaluation)
    {
        var selected = evaluation.Results.FirstOrDefault(r => r.Key == TestResult.GlovKey)?.PerClass;
        var seed = evaluation.Results.FirstOrDefault(r => r.Key == TestResult.SeedKey)?.PerClass?
            .GroupBy(c => c.ClassName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        if (selected is null || seed is null)
            return [];
        return selected
            .Where(c => c.Total > 0 && seed.TryGetValue(c.ClassName, out var s) && s.Total > 0)
            .Select(c => new ClassChange(c.ClassName, Percent(seed[c.ClassName]), Percent(c), c.Total))
            .OrderByDescending(c => c.Change).ThenBy(c => c.ClassName, StringComparer.Ordinal)
            .ToList();

        static double Percent(Glov.Core.Scoring.ClassHits hits) => 100.0 * hits.Correct / hits.Total;
    }

    private static IEnumerable<CandidateRow> Candidates(RecordedStep step) =>
        (step.Candidates ?? []).Select(c => new CandidateRow(
            Shown(step.Step),
            c.Index,
            c.Fragment,
            c.Template,
            step.Scores.GetValueOrDefault(c.Index)?.Score,
            c.Reason is { } reason ? Describe(reason) + (string.IsNullOrEmpty(c.Detail) ? "" : $": {c.Detail}") : null));

    private static int Shown(int journalStep) => journalStep + 1;

    private static string Describe(Glov.Core.Parsing.RejectionReason reason) =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(reason.ToString()).Replace('_', ' ');

    /// <summary>Every resolved setting as a dotted key, in the config's own order, then the run's identity.</summary>
    private static List<ReportSetting> Settings(RunManifest manifest)
    {
        var settings = new List<ReportSetting>();
        if (JsonNode.Parse(manifest.ConfigJson) is JsonObject config)
            Flatten(config, "", settings);
        settings.Add(new("config hash", manifest.ConfigHash[..Math.Min(12, manifest.ConfigHash.Length)]));
        settings.Add(new("glov version", manifest.GlovVersion));
        settings.Add(new("created", manifest.CreatedAt.ToString("u", CultureInfo.InvariantCulture)));
        return settings;
    }

    private static void Flatten(JsonObject obj, string prefix, List<ReportSetting> into)
    {
        foreach (var (key, value) in obj)
        {
            var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (value is JsonObject child)
                Flatten(child, path, into);
            else
                into.Add(new(path, value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "null"));
        }
    }
}

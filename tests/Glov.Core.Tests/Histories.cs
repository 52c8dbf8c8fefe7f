using Glov.Core.Optimization;
using Glov.Core.Scoring;
using Glov.Core.Templates;

namespace Glov.Core.Tests;

/// <summary>Builds histories for tests: each entry is (text, score, step); indices follow insertion order within a step.</summary>
internal static class Histories
{
    public static History Of(params (string Text, double Score, int Step)[] entries) => Of(PromptKind.ClassTemplate, entries);

    public static History Of(PromptKind kind, params (string Text, double Score, int Step)[] entries)
    {
        var history = new History();
        foreach (var e in entries)
            Add(history, e.Text, e.Score, e.Step, kind);
        return history;
    }

    public static ScoredTemplate Add(History history, string text, double score, int step, PromptKind kind = PromptKind.ClassTemplate,
        IReadOnlyList<ClassHits>? perClass = null)
    {
        var index = history.Items.Count(s => s.Step == step);
        var scored = new ScoredTemplate(Template.Create(text, kind), new FitnessResult(score, perClass ?? []), step, index);
        history.Add(scored);
        return scored;
    }
}

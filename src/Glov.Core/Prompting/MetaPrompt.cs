using System.Globalization;
using System.Text;
using Glov.Core.Optimization;
using Glov.Core.Proposing;
using Glov.Core.Templates;

namespace Glov.Core.Prompting;

/// <summary>Builds the system + user chat of method.md §2.</summary>
public static class MetaPrompt
{
    public static IReadOnlyList<ChatMessage> Build(TaskDescription task, History history, MetaPromptOptions options)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(options);
        if (history.Count == 0)
            throw new ArgumentException("the meta-prompt needs at least the scored seed in the history", nameof(history));
        if (options.K < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.K, "K must be at least 1");

        var wording = PromptWording.For(task.Kind);
        var system = wording.System.Replace("{vlm}", task.VlmName, StringComparison.Ordinal);
        return [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, UserMessage(task, history, options, wording))];
    }

    /// <summary>How many best and how many worst templates are listed. Capping at half the history
    /// keeps the two lists disjoint: they are the first k and last k entries of one ranking.</summary>
    public static int ListLength(int historyCount, int k) => Math.Max(1, Math.Min(k, historyCount / 2));

    /// <summary>What stays the same from step to step comes first and what changes last, so that the optimizer
    /// LLM's KV cache of one step's prompt serves the next up to the first listed template that moved: the
    /// header and the instruction (as in the authors' prompt, before the data), then the lists in the method's
    /// order, then the misclassified classes of the best (they change with it), then the reminder.</summary>
    private static string UserMessage(TaskDescription task, History history, MetaPromptOptions options, PromptWording wording)
    {
        var sb = new StringBuilder();
        sb.Append("Dataset: ").Append(task.DatasetName).Append('\n');
        sb.Append("Description: ").Append(task.Description).Append("\n\n");
        sb.Append(wording.Ask).Append(" Aim to score higher than every ").Append(wording.Noun)
          .Append(" below, and do not repeat any of them.\n\n");

        var ranked = history.RankedBestFirst();
        var scale = "(" + wording.Scale.Replace("{metric}", options.MetricName, StringComparison.Ordinal) + ")";
        if (ranked.Count == 1)
        {
            sb.Append("The current ").Append(wording.Noun).Append(' ').Append(scale).Append(":\n");
            AppendLines(sb, ranked, options.MetricName);
        }
        else
        {
            var k = ListLength(ranked.Count, options.K);
            var best = ranked.Take(k).Reverse().ToList();
            var worst = ranked.Skip(ranked.Count - k).Reverse().ToList();
            sb.Append(Capitalise(wording.Nouns)).Append(" tried so far ").Append(scale).Append(".\n\n");
            sb.Append("Best ").Append(wording.Nouns).Append(":\n");
            AppendLines(sb, best, options.MetricName);
            sb.Append("\nWorst ").Append(wording.Nouns).Append(":\n");
            AppendLines(sb, worst, options.MetricName);
        }
        sb.Append('\n');
        AppendMisclassified(sb, ranked[0], options, wording);
        sb.Append("Answer with the new ").Append(wording.Noun).Append(" only.");
        return sb.ToString();
    }

    private static void AppendLines(StringBuilder sb, IReadOnlyList<ScoredTemplate> items, string metricName)
    {
        for (var j = 0; j < items.Count; j++)
            sb.Append(j + 1).Append(": ").Append(items[j].Template.Text).Append(" --- ").Append(metricName).Append(": ")
              .Append(FormatScore(items[j].Score)).Append('\n');
    }

    /// <summary>One decimal, halves away from zero (6.25 → "6.3", as people round), invariant culture:
    /// the LLM sees "65.5" whatever the machine's locale.</summary>
    public static string FormatScore(double score) =>
        Math.Round(score, 1, MidpointRounding.AwayFromZero).ToString("F1", CultureInfo.InvariantCulture);

    private static void AppendMisclassified(StringBuilder sb, ScoredTemplate best, MetaPromptOptions options, PromptWording wording)
    {
        if (!options.ListMisclassified)
            return;
        var missed = best.Fitness.PerClass
            .Where(c => c.Correct < c.Total)
            .OrderBy(c => (double)c.Correct / c.Total)
            .Select(c => Template.CleanClassName(c.ClassName))
            .ToList();
        if (missed.Count == 0)
        {
            sb.Append("The best ").Append(wording.Noun).Append(" classifies every class correctly.\n\n");
            return;
        }
        var shown = missed.Take(Math.Max(1, options.MaxListedClasses)).ToList();
        sb.Append("Classes the best ").Append(wording.Noun).Append(" gets wrong: ").Append(string.Join(", ", shown));
        if (missed.Count > shown.Count)
            sb.Append(" and ").Append(missed.Count - shown.Count).Append(" more");
        sb.Append(".\n\n");
    }

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}

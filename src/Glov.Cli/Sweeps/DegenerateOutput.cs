using System.Globalization;
using Glov.Core.Journal;
using Glov.Core.Templates;

namespace Glov.Cli.Sweeps;

/// <summary>
/// Signs that steering broke the optimizer LLM rather than guided it (method.md §3, sweep): answers that
/// are copies of each other, answers that loop on a phrase, or answers with no parsable template at all.
/// </summary>
public static class DegenerateOutput
{
    /// <summary>Why the run's proposals are degenerate, or null when they look usable.</summary>
    public static string? Detect(RecordedRun run)
    {
        var steps = run.Steps.Values.Where(s => s.Step >= 0).ToList();
        var answers = steps.SelectMany(s => s.Completions ?? []).Select(c => c.Text).ToList();
        if (answers.Count == 0)
            return null;
        var c = CultureInfo.InvariantCulture;
        if (!steps.SelectMany(s => s.Candidates ?? []).Any(x => x.Template is not null))
            return string.Format(c, "no parsable template in {0} answers", answers.Count);
        var keys = answers.Select(Template.NormaliseKey).ToList();
        var copies = keys.Count - keys.Distinct(StringComparer.Ordinal).Count();
        if (2 * copies >= answers.Count)
            return string.Format(c, "repetition: {0} of {1} answers repeat an earlier one", copies, answers.Count);
        var looping = answers.Count(Loops);
        if (2 * looping >= answers.Count)
            return string.Format(c, "repetition: {0} of {1} answers loop on a phrase", looping, answers.Count);
        return null;
    }

    /// <summary>A word 3-gram occurring three or more times: "a photo of a photo of a photo of ...".</summary>
    public static bool Loops(string text)
    {
        var words = text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + 3 <= words.Length; i++)
        {
            var gram = string.Join(' ', words, i, 3);
            if ((counts[gram] = counts.GetValueOrDefault(gram) + 1) >= 3)
                return true;
        }
        return false;
    }
}

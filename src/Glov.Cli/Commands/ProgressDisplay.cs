using System.Globalization;
using Glov.Core.Optimization;

namespace Glov.Cli.Commands;

/// <summary>One line per step on stderr: step, candidates, best so far, ‖v‖, the prompt tokens reused from the
/// LLM's cache of the step before, ETA. Steps a resumed run takes
/// from its journal are summed up in one line, printed before the first live step (or by <see cref="Flush"/>).</summary>
public sealed class ProgressDisplay(TextWriter writer)
{
    private OptimizerProgress? _lastFromJournal;

    public void Show(OptimizerProgress p)
    {
        if (p.FromJournal)
        {
            _lastFromJournal = p;
            return;
        }
        Flush();
        var c = CultureInfo.InvariantCulture;
        var head = p.Step < 0 ? "seed" : $"step {p.Step + 1}/{p.Steps}";
        var norm = p.SteeringNorm is { } n ? string.Format(c, "  |v| {0:0.###}", n) : "";
        var reuse = p.PromptReuse is { } r ? string.Format(c, "  prompt reused {0}/{1} ({2:0%})", r.ReusedTokens, r.PromptTokens, r.Fraction) : "";
        var eta = p.Eta is { } e ? $"  ETA {Format(e)}" : "";
        writer.WriteLine(string.Format(c, "{0}: {1} accepted, {2} rejected, {3} proposed  best {4:0.0} \"{5}\"{6}{7}  elapsed {8}{9}",
            head, p.Accepted, p.Rejected, p.CandidatesProposed, p.Best.Score, Glov.Core.Text.TerminalText.Safe(p.Best.Template.Text), norm, reuse,
            Format(p.Elapsed), eta));
    }

    /// <summary>Prints the summary of the steps taken from the journal, if any are pending.</summary>
    public void Flush()
    {
        if (_lastFromJournal is not { } last)
            return;
        var steps = last.Step switch { < 0 => "the seed", 0 => "the seed and step 1", _ => $"the seed and steps 1-{last.Step + 1}" };
        writer.WriteLine(string.Format(CultureInfo.InvariantCulture, "resumed: {0} (of {1} steps) from the journal ({2} proposed, nothing run again)  best {3:0.0} \"{4}\"",
            steps, last.Steps, last.CandidatesProposed, last.Best.Score, Glov.Core.Text.TerminalText.Safe(last.Best.Template.Text)));
        _lastFromJournal = null;
    }

    private static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}

using System.Globalization;
using Glov.Core.Optimization;

namespace Glov.Cli.Commands;

/// <summary>One line per step on stderr: step, candidates, best so far, ‖v‖, ETA.</summary>
public sealed class ProgressDisplay(TextWriter writer)
{
    public void Show(OptimizerProgress p)
    {
        var c = CultureInfo.InvariantCulture;
        var head = p.Step < 0 ? "seed" : $"step {p.Step + 1}/{p.Steps}";
        var from = p.FromJournal ? " (from journal)" : "";
        var norm = p.SteeringNorm is { } n ? string.Format(c, "  |v| {0:0.###}", n) : "";
        var eta = p.Eta is { } e ? $"  ETA {Format(e)}" : "";
        writer.WriteLine(string.Format(c, "{0}{1}: {2} accepted, {3} rejected, {4} proposed  best {5:0.0} \"{6}\"{7}  elapsed {8}{9}",
            head, from, p.Accepted, p.Rejected, p.CandidatesProposed, p.Best.Score, Glov.Core.Text.TerminalText.Safe(p.Best.Template.Text), norm, Format(p.Elapsed), eta));
    }

    private static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}

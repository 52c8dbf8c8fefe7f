using System.Globalization;
using Glov.Core.Optimization;
using Glov.Core.Text;

namespace Glov.Cli.Commands;

/// <summary>An engine's newest report as the display shows it: where in the run (no step: loading before
/// the loop), how long the stage has taken, and its rate (units per second since the stage's first report).</summary>
/// <param name="Cached">What the stage's first report had done already: prompt tokens the KV cache held, class
/// prompts or images whose features were cached.</param>
/// <param name="Started">The stage's first report.</param>
public sealed record WorkStatus(int? Step, int Steps, WorkProgress Work, TimeSpan Elapsed, double? Rate, long Cached, bool Started)
{
    /// <summary>"seed", "step 2/5", or "" before the loop.</summary>
    public string Where => Step switch { null => "", < 0 => "seed", { } s => $"step {s + 1}/{Steps}" };

    public string Stage => Work.Stage.ToString().ToLowerInvariant();

    /// <summary>Subject, amounts and rate, e.g. <c>143 tokens of at most 192, 96.1 tokens/s</c>.</summary>
    public string Amount
    {
        get
        {
            var c = CultureInfo.InvariantCulture;
            var unit = Work.Unit.ToString().ToLowerInvariant();
            var subject = Work.Subject is { } s ? TerminalText.Safe(s) + " " : "";
            var amount = Work switch
            {
                { Unit: WorkUnit.Bytes } => string.Format(c, "{0:0.0}/{1:0.0} MiB", Work.Done / Mebi, Work.Total / Mebi),
                // Until generation ends its total is a bound: candidates stop early.
                { Stage: WorkStage.Generate, Finished: false } => string.Format(c, "{0} tokens of at most {1}", Work.Done, Work.Total),
                { Stage: WorkStage.Generate } => string.Format(c, "{0} tokens", Work.Done),
                _ => string.Format(c, "{0}/{1} {2}", Work.Done, Work.Total, unit),
            };
            var cached = Cached > 0 && Work.Unit != WorkUnit.Bytes ? string.Format(c, " ({0} cached)", Cached) : "";
            var rate = Rate is not { } r ? ""
                : Work.Unit == WorkUnit.Bytes ? string.Format(c, ", {0:0.0} MiB/s", r / Mebi)
                : string.Format(c, ", {0:0.0} {1}/s", r, unit);
            return subject + amount + cached + rate;
        }
    }

    /// <summary>The plain line: <c>  step 2/5 generate  143 tokens of at most 192, 96.1 tokens/s  0:01</c>.</summary>
    public string Line => (Step is null ? "" : "  ") + $"{(Where.Length > 0 ? Where + " " : "")}{Stage,-8}  {Amount}  {Clock(Elapsed)}";

    private const double Mebi = 1024 * 1024;

    public static string Clock(TimeSpan t) =>
        t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text;

namespace Glov.Cli.Budget;

/// <summary>Upper bounds on the work a run will do, and (after calibration) how long it should take.
/// Counts assume every candidate parses and nothing is a duplicate, so real runs need at most this much.</summary>
public sealed record BudgetEstimate(
    int Steps,
    int CandidatesPerStep,
    long PromptTokens,
    long GeneratedTokens,
    double DecodeFactor,
    int GuidanceEmbeddings,
    int Classes,
    long TemplatesScored,
    long TextEncodings,
    int TrainImages,
    int? TestImages,
    long EvaluationTextEncodings,
    Calibration? Calibration)
{
    /// <summary>Decoder passes per generated token under the run's steering mode (exact: 2; recompute: the whole prefix).</summary>
    public long DecodedTokens => (long)Math.Ceiling(GeneratedTokens * DecodeFactor);

    public TimeSpan? OptimizeTime => Calibration is { } c
        ? c.PerCandidate * ((double)Steps * CandidatesPerStep * DecodeFactor) + c.PerImage * TrainImages + c.PerTemplate * TemplatesScored
        : null;

    public TimeSpan? EvaluateTime => Calibration is { } c && TestImages is { } test
        ? c.PerImage * test + c.PerTemplate * ((double)EvaluationTextEncodings / Math.Max(1, Classes))
        : null;

    public string Describe()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(string.Format(c, "budget   {0} steps x {1} candidates", Steps, CandidatesPerStep));
        text.AppendLine(string.Format(c, "  LLM tokens       ~{0:N0} prompt + at most {1:N0} generated ({2:N0} decoder passes)", PromptTokens, GeneratedTokens, DecodedTokens));
        text.AppendLine(string.Format(c, "  guidance         at most {0} template embeddings", GuidanceEmbeddings));
        text.AppendLine(string.Format(c, "  text encoder     at most {0:N0} calls ({1:N0} templates x {2} classes) + {3:N0} for evaluation", TextEncodings, TemplatesScored, Classes, EvaluationTextEncodings));
        text.AppendLine(string.Format(c, "  image encoder    {0:N0} train images once (cached){1}", TrainImages,
            TestImages is { } t ? string.Format(c, "; {0:N0} test images for evaluation", t) : "; the whole test split for evaluation"));
        if (Calibration is { } cal)
        {
            text.AppendLine(string.Format(c, "  calibration      {0:0.###} s per candidate, {1:0.####} s per image, {2:0.####} s per template",
                cal.PerCandidate.TotalSeconds, cal.PerImage.TotalSeconds, cal.PerTemplate.TotalSeconds));
            text.AppendLine(string.Format(c, "  estimated time   optimize ~{0}{1}", Human(OptimizeTime!.Value),
                EvaluateTime is { } e ? $", evaluate ~{Human(e)}" : ""));
        }
        return text.ToString();
    }

    private static string Human(TimeSpan t) => t.TotalSeconds < 90
        ? t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s"
        : t.TotalMinutes < 90 ? t.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min"
        : t.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " h";
}

/// <summary>Measured costs: one generated candidate, one newly encoded image, one scored template (all its class texts).</summary>
public sealed record Calibration(TimeSpan PerCandidate, TimeSpan PerImage, TimeSpan PerTemplate, double TokensPerChar);

using System.Globalization;
using System.Text;

namespace Glov.Cli.Budget;

/// <summary>Upper bounds on the work a run will do (every candidate parses, nothing is a duplicate, every
/// step after the first can be steered), and an estimate of its time at <see cref="NominalRates"/>.</summary>
/// <param name="StepsRun">Steps that get candidates (fewer than <paramref name="Steps"/> under budget.max_candidates).</param>
/// <param name="GuidedMaxNewTokens">The new-token limit of steered steps; null without guidance.</param>
/// <param name="DecoderRows">Sequences the decoder runs a token for: the steering mode's factor per generated token.</param>
/// <param name="TestImages">Test images evaluation scores; null: the whole test split.</param>
/// <param name="LlmTime">Null for a remote proposer, whose speed is unknown.</param>
public sealed record BudgetEstimate(
    int Steps,
    int CandidatesPerStep,
    int StepsRun,
    long Candidates,
    long PromptTokensPerStep,
    long PromptTokens,
    int MaxNewTokens,
    int? GuidedMaxNewTokens,
    long GeneratedTokens,
    long DecoderRows,
    int GuidanceEmbeddings,
    long Templates,
    int UnitsPerTemplate,
    string Unit,
    int Items,
    string ItemsName,
    int EvaluationTemplates,
    int? TestImages,
    TimeSpan? LlmTime,
    TimeSpan ScoringTime,
    NominalRates Rates)
{
    public TimeSpan? OptimizeTime => LlmTime + ScoringTime;

    public string Describe()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(string.Format(c, "budget   {0} steps x {1} candidates{2}; counts are upper bounds", Steps, CandidatesPerStep,
            StepsRun < Steps ? string.Format(c, " (budget.max_candidates {0}: {1} steps get candidates)", Candidates, StepsRun) : ""));
        text.AppendLine(string.Format(c, "  LLM prefill      ~{0:N0} prompt tokens (~{1:N0} a step, the meta-prompt at its longest)", PromptTokens, PromptTokensPerStep));
        text.AppendLine(string.Format(c, "  LLM generation   at most {0:N0} new tokens ({1} a candidate{2}), {3:N0} decoder rows", GeneratedTokens, MaxNewTokens,
            GuidedMaxNewTokens is { } g && g != MaxNewTokens ? string.Format(c, ", {0} while guided", g) : "", DecoderRows));
        text.AppendLine(string.Format(c, "  guidance         at most {0} template embeddings", GuidanceEmbeddings));
        text.AppendLine(string.Format(c, "  scoring          at most {0:N0} templates: {1:N0} {2} ({3:N0} a template); {4:N0} {5} prepared once (cached)",
            Templates, Templates * UnitsPerTemplate, Unit, UnitsPerTemplate, Items, ItemsName));
        text.AppendLine(string.Format(c, "  evaluation       {0} templates (baselines and the selection) on {1}", EvaluationTemplates,
            TestImages is { } t ? string.Format(c, "at most {0:N0} test images", t) : "the whole test split"));
        var rates = string.Format(c, "at nominal rates for {0} CPU cores; an estimate, not a measurement", Rates.Cores);
        text.AppendLine(OptimizeTime is { } total
            ? string.Format(c, "  estimated time   optimize ~{0} (LLM ~{1}, scoring ~{2}) {3}", Human(total), Human(LlmTime!.Value), Human(ScoringTime), rates)
            : string.Format(c, "  estimated time   scoring ~{0} {1}; the remote proposer's time is not estimated", Human(ScoringTime), rates));
        return text.ToString();
    }

    private static string Human(TimeSpan t) => t.TotalSeconds < 90
        ? t.TotalSeconds.ToString(t.TotalSeconds < 10 ? "0.##" : "0", CultureInfo.InvariantCulture) + " s"
        : t.TotalMinutes < 90 ? t.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min"
        : t.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " h";
}

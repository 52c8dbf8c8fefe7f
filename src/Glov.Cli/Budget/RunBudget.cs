using Glov.Cli.Commands;
using Glov.Cli.Config;
using Glov.Core.Optimization;
using Glov.Core.Prompting;
using Glov.Core.Proposing;
using Glov.Core.Scoring;
using Glov.Core.Templates;

namespace Glov.Cli.Budget;

/// <summary>
/// The one budget model of a run, used by <c>glov preview</c> and printed by <c>glov optimize</c> before the
/// first step: counted from the settings and what the components' plans tell without loading or writing
/// anything (classes and few-shot items from the dataset, model sizes from file headers), and timed by
/// <see cref="NominalRates"/> (constants, so the same config always gets the same estimate).
/// </summary>
public static class RunBudget
{
    /// <summary>English text in the BPE vocabularies of current LLMs averages about four characters a token.</summary>
    public const double TokensPerChar = 0.25;

    public static async Task<BudgetEstimate> EstimateAsync(RunConfig config, CancellationToken ct)
    {
        var work = await config.FitnessWork(ct).ConfigureAwait(false);
        return Estimate(config, work, config.ProposerSize(), NominalRates.Cpu);
    }

    public static BudgetEstimate Estimate(RunConfig config, FitnessWork work, ModelSize? llm, NominalRates rates)
    {
        var s = config.Settings with { Task = new TaskDescription(config.Dataset, config.Description, work.ClassNames, "", config.SeedTemplate.Kind) };
        var promptTokens = Tokens(LargestPromptChars(s));
        var templateTokens = Tokens(s.SeedTemplate.Text.Length);
        var guided = s.Guidance.MaxNewTokens ?? s.Sampling.MaxNewTokens;
        // Guidance needs two scored templates: with only the seed, the first step cannot be steered.
        var firstGuidable = s.Guidance.Enabled ? (s.ExtraSeeds.Count > 0 ? 0 : 1) : int.MaxValue;

        var steps = new List<StepWork>();
        var proposed = 0;
        for (var step = 0; step < s.Steps; step++)
        {
            var count = s.Budget.MaxCandidates is { } cap ? Math.Min(s.Candidates, cap - proposed) : s.Candidates;
            if (count <= 0)
                break;
            proposed += count;
            var steered = step >= firstGuidable;
            // Whether a step is steered is known only when it runs, so a guidable step may take either limit.
            var tokens = steered ? Math.Max(guided, s.Sampling.MaxNewTokens) : s.Sampling.MaxNewTokens;
            steps.Add(new StepWork(count, tokens, DecodeFactor(steered, s.Guidance.Mode, promptTokens, tokens)));
        }

        var guidedSteps = steps.Count - Math.Min(steps.Count, firstGuidable);
        var templates = 1L + s.ExtraSeeds.Count + proposed;
        TimeSpan? llmTime = llm is null ? null : steps.Aggregate(TimeSpan.Zero, (sum, w) =>
            sum + rates.Tokens(llm, promptTokens) + rates.Pass(llm, w.Count * w.Factor) * w.Tokens)
            + rates.Tokens(llm, templateTokens) * (2 * guidedSteps);
        var scoringTime = work.PerItem * work.ItemCount + work.PerUnit * ((double)templates * work.UnitsPerTemplate);
        var evaluationTemplates = EvaluateCommand.Baselines(config).Sum(b => b.Templates.Count) + s.EnsembleSize;

        return new BudgetEstimate(
            s.Steps, s.Candidates, steps.Count, proposed,
            promptTokens, promptTokens * steps.Count,
            s.Sampling.MaxNewTokens, s.Guidance.Enabled ? guided : null,
            steps.Sum(w => (long)w.Count * w.Tokens),
            (long)Math.Ceiling(steps.Sum(w => (double)w.Count * w.Tokens * w.Factor)),
            2 * guidedSteps,
            templates, work.UnitsPerTemplate, work.Unit, work.ItemCount, work.Items,
            evaluationTemplates, config.Evaluation.TestLimit,
            llmTime, scoringTime, rates);
    }

    private sealed record StepWork(int Count, int Tokens, double Factor);

    private static long Tokens(int chars) => (long)Math.Ceiling(chars * TokensPerChar);

    /// <summary>Decoder rows per generated token. Exact steering decodes each token twice (unsteered for the
    /// cache, steered for the logits: one batch, or two decodes in the fallback); recompute re-runs the
    /// prompt and all earlier tokens for every new token.</summary>
    public static double DecodeFactor(bool steered, SteeringMode mode, long promptTokens, int maxNewTokens) =>
        !steered ? 1 : mode switch
        {
            SteeringMode.Exact => 2,
            SteeringMode.Recompute => promptTokens + (maxNewTokens + 1) / 2.0,
            _ => 1,
        };

    /// <summary>The meta-prompt once its best and worst lists are full: the longest prompt of the run.</summary>
    private static int LargestPromptChars(OptimizerSettings s)
    {
        var history = new History();
        var k = s.MetaPrompt.K;
        for (var i = 0; i < 2 * k + 1; i++)
        {
            var text = s.SeedTemplate.Text + (i == 0 ? "" : $" v{i}");
            history.Add(new ScoredTemplate(Template.Create(text, s.SeedTemplate.Kind), new FitnessResult(50 + i, []), i == 0 ? -1 : 0, i));
        }
        return MetaPrompt.Build(s.Task, history, s.MetaPrompt).Sum(m => m.Content.Length);
    }
}

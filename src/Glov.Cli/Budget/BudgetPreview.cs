using System.Diagnostics;
using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Core.Optimization;
using Glov.Core.Prompting;
using Glov.Core.Proposing;
using Glov.Core.Scoring;
using Glov.Core.Templates;

namespace Glov.Cli.Budget;

/// <summary>
/// What a run will need before it starts: counted from the settings and the loaded components
/// (classes, shots, steering mode), and optionally timed by a short calibration that makes a few real
/// proposer and fitness calls (nothing is journaled).
/// </summary>
public static class BudgetPreview
{
    /// <summary>English text in the BPE vocabularies of current LLMs averages about four characters a token.</summary>
    private const double DefaultTokensPerChar = 0.25;

    public static BudgetEstimate Estimate(RunConfig config, ProposerBinding proposer, FitnessBinding fitness,
        int baselineTemplates = 0, Calibration? calibration = null)
    {
        var s = config.For(fitness);
        var classes = Math.Max(1, fitness.ClassNames.Count);
        var steered = s.Guidance.Enabled && proposer.Proposer.SupportsSteering;
        var promptChars = LargestPromptChars(s);
        var tokensPerChar = calibration?.TokensPerChar ?? DefaultTokensPerChar;
        var promptTokens = (long)Math.Ceiling(promptChars * tokensPerChar);
        var generated = (long)s.Steps * s.Candidates * s.Sampling.MaxNewTokens;
        var templates = 1 + (long)s.Steps * s.Candidates;
        var perClassTemplates = s.SeedTemplate.Kind == PromptKind.ClassTemplate ? classes : 1;
        return new BudgetEstimate(
            s.Steps,
            s.Candidates,
            promptTokens * s.Steps,
            generated,
            DecodeFactor(steered, s.Guidance.Mode, promptTokens, s.Sampling.MaxNewTokens),
            steered ? 2 * s.Steps : 0,
            classes,
            templates,
            templates * perClassTemplates,
            classes * Shots(config),
            config.Evaluation.TestLimit,
            (2L + 2L * baselineTemplates + s.EnsembleSize) * perClassTemplates, // the ensemble and its random-descriptor control
            calibration);
    }

    private static int Shots(RunConfig config) =>
        config.Resolved["task"]?["shots"] is { } shots ? int.Parse(shots.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : 1;

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

    /// <summary>Times one proposer call (two candidates, the step-0 prompt, after a short warm-up) and two fitness calls: the first
    /// also encodes the train images, the second only a new template's class texts.</summary>
    public static async Task<Calibration> CalibrateAsync(RunConfig config, ProposerBinding proposer, FitnessBinding fitness, CancellationToken ct)
    {
        var s = config.For(fitness);
        var history = new History();
        var seedScore = Stopwatch.StartNew();
        var seed = (await fitness.Fitness.ScoreAsync([s.SeedTemplate], ct).ConfigureAwait(false))[0];
        var withImages = seedScore.Elapsed;
        history.Add(new ScoredTemplate(s.SeedTemplate, seed, -1, 0));

        var probe = Template.Create(s.SeedTemplate.Text + " (calibration)", s.SeedTemplate.Kind);
        var templateOnly = Stopwatch.StartNew();
        await fitness.Fitness.ScoreAsync([probe], ct).ConfigureAwait(false);
        var perTemplate = templateOnly.Elapsed;

        var messages = MetaPrompt.Build(s.Task, history, s.MetaPrompt);
        var count = Math.Min(2, s.Candidates);
        // Untimed warm-up: the first call of an engine pays one-off setup (contexts, buffers) that steps do not.
        await proposer.Proposer.ProposeAsync(new ProposalRequest(messages, 1, s.Sampling with { MaxNewTokens = 2 }), ct).ConfigureAwait(false);
        var generate = Stopwatch.StartNew();
        var completions = await proposer.Proposer.ProposeAsync(new ProposalRequest(messages, count, s.Sampling), ct).ConfigureAwait(false);
        var perCandidate = generate.Elapsed / count;
        var promptChars = messages.Sum(m => m.Content.Length);
        var tokensPerChar = completions.Count > 0 && completions[0].PromptTokens > 0 ? (double)completions[0].PromptTokens / promptChars : DefaultTokensPerChar;

        var trainImages = Math.Max(1, fitness.ClassNames.Count * Shots(config));
        var perImage = withImages > perTemplate ? (withImages - perTemplate) / trainImages : TimeSpan.Zero;
        return new Calibration(perCandidate, perImage, perTemplate, tokensPerChar);
    }
}

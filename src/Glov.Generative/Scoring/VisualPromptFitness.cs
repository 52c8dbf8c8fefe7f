using Glov.Core.Optimization;
using Glov.Core.Scoring;
using Glov.Core.Templates;
using Glov.Generative.Answering;

namespace Glov.Generative.Scoring;

/// <summary>
/// The shape every generative-VLM fitness shares: each prompt is asked about each item of the set, all
/// of them in one answerer call (so it can batch across prompts); the answers are read into outcomes
/// (<typeparamref name="TOutcome"/>, e.g. a matched class or a refusal verdict); a prompt is scored
/// alone by summarising its own outcomes, an ensemble by summarising several prompts' outcomes (the
/// subclass decides how they vote).
/// </summary>
public abstract class VisualPromptFitness<TOutcome, TEvaluation> : IFitness, IDisposable
    where TEvaluation : IPromptEvaluation
{
    private readonly IVisualAnswerer _answerer;
    private readonly string _wrongKind;
    private readonly bool _ownsAnswerer;

    /// <param name="kind">The prompt kind this fitness scores.</param>
    /// <param name="wrongKind">Why a prompt of another kind is not admitted.</param>
    protected VisualPromptFitness(IVisualAnswerer answerer, PromptKind kind, string wrongKind, bool ownsAnswerer)
    {
        _answerer = answerer;
        Kind = kind;
        _wrongKind = wrongKind;
        _ownsAnswerer = ownsAnswerer;
    }

    public abstract string MetricName { get; }

    public PromptKind Kind { get; }

    public string? Admit(Template template) => template.Kind != Kind ? _wrongKind : _answerer.Admit(template.Text);

    /// <summary>What is asked for one prompt: one question per item of the set, always in the same order.</summary>
    protected abstract IReadOnlyList<VisualQuestion> Questions(Template prompt);

    /// <summary>One outcome per answer, in order. <paramref name="answers"/> holds every prompt's answers
    /// one after another, each prompt's in the order of its <see cref="Questions"/>; reading them in one
    /// call lets a subclass batch (e.g. embed all answers at once).</summary>
    protected abstract Task<IReadOnlyList<TOutcome>> ReadAsync(IReadOnlyList<string> answers, CancellationToken cancellationToken);

    /// <summary>The evaluation of <paramref name="prompts"/> used together, from each one's outcomes per item.</summary>
    protected abstract TEvaluation Summarise(IReadOnlyList<Template> prompts, IReadOnlyList<IReadOnlyList<TOutcome>> perPrompt);

    /// <summary>Each prompt scored alone; all their questions go to the answerer in one request. Progress counts
    /// images answered, over all the prompts.</summary>
    public async Task<IReadOnlyList<FitnessResult>> ScoreAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default,
        IProgress<WorkProgress>? progress = null)
    {
        if (templates.Count == 0)
            return [];
        var perPrompt = await AskAsync(templates, cancellationToken, progress).ConfigureAwait(false);
        return templates.Select((t, p) => Summarise([t], [perPrompt[p]]).ToFitness()).ToArray();
    }

    public async Task<FitnessResult> ScoreEnsembleAsync(IReadOnlyList<Template> ensemble, CancellationToken cancellationToken = default) =>
        (await EvaluateAsync(ensemble, cancellationToken).ConfigureAwait(false)).ToFitness();

    /// <summary>Every prompt on every item; with several prompts, their voted outcomes.</summary>
    public async Task<TEvaluation> EvaluateAsync(IReadOnlyList<Template> prompts, CancellationToken cancellationToken = default)
    {
        if (prompts.Count == 0)
            throw new ArgumentException("at least one prompt is needed", nameof(prompts));
        return Summarise(prompts, await AskAsync(prompts, cancellationToken).ConfigureAwait(false));
    }

    private async Task<IReadOnlyList<TOutcome>[]> AskAsync(IReadOnlyList<Template> prompts, CancellationToken cancellationToken,
        IProgress<WorkProgress>? progress = null)
    {
        var perPrompt = prompts.Select(Questions).ToArray();
        var asked = perPrompt.SelectMany(q => q).ToArray();
        var answered = -1;
        void Answered(int n) => progress?.Report(new WorkProgress(WorkStage.Score, answered = n, asked.Length, WorkUnit.Images));
        var answers = await _answerer.AnswerAsync(asked, cancellationToken, progress is null ? null : new SynchronousProgress<int>(Answered)).ConfigureAwait(false);
        // However the answerer reported, scoring ends with every image answered.
        if (answered < asked.Length)
            Answered(asked.Length);
        var outcomes = await ReadAsync(answers, cancellationToken).ConfigureAwait(false);
        var start = 0;
        var split = new IReadOnlyList<TOutcome>[prompts.Count];
        for (var p = 0; p < prompts.Count; p++)
        {
            split[p] = outcomes.Skip(start).Take(perPrompt[p].Count).ToArray();
            start += perPrompt[p].Count;
        }
        return split;
    }

    /// <summary>Disposes the answerer when it was handed over with <c>ownsAnswerer</c>.</summary>
    public void Dispose()
    {
        if (_ownsAnswerer)
            (_answerer as IDisposable)?.Dispose();
        GC.SuppressFinalize(this);
    }
}

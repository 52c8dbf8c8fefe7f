using Glov.Core.Proposing;

namespace Glov.LlamaCpp.Engine;

/// <summary>The in-process llama.cpp optimizer LLM: formats the chat with the model's template (plus
/// the assistant generation prompt) and samples the candidates on one live, steerable context.</summary>
/// <param name="ownsModel">Dispose the model with the proposer (when nothing else, e.g. an embedder, outlives it).</param>
public sealed class LlamaProposer(LlamaModel model, bool ownsModel = false) : IPromptProposer, IDisposable
{
    private readonly LlamaGenerator _generator = new(model);
    private readonly Lock _gate = new();

    public string Name => $"llama.cpp:{Path.GetFileName(model.Path)}";

    public bool SupportsSteering => true;

    public int? MaxCandidates => LlamaGenerator.MaxCandidates;

    public GenerationStats? LastStats => _generator.LastStats;

    /// <summary>How exact steering is computed (one decode, or the fallback and why): for the run's log.</summary>
    public event Action<string>? Notice
    {
        add => _generator.Notice += value;
        remove => _generator.Notice -= value;
    }

    public Task<IReadOnlyList<Completion>> ProposeAsync(ProposalRequest request, CancellationToken cancellationToken = default) =>
        Task.Run(() =>
        {
            lock (_gate)
            {
                var prompt = model.TokenizeChat(ChatFormatter.Format(model, request.Messages));
                return _generator.Generate(prompt, request.Count, request.Sampling, request.Steering, cancellationToken, request.Progress);
            }
        }, cancellationToken);

    public void Dispose()
    {
        _generator.Dispose();
        if (ownsModel)
            model.Dispose();
    }
}

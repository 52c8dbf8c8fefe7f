using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Core.Proposing;

namespace Glov.EndToEnd.Tests;

/// <summary>A steerable test proposer: varied templates while α ≥ 0.5, and one looping answer below it,
/// the failure a too-weak or too-strong steering vector can cause in a real model.</summary>
public sealed class AlphaSensitiveProposer : IPromptProposer
{
    private static readonly string[] Words = ["photo", "detailed", "centered", "blurry", "sketch", "close-up", "bright", "dark", "small", "large"];

    public string Name => "alpha-sensitive";

    public bool SupportsSteering => true;

    public int Calls { get; private set; }

    public Task<IReadOnlyList<Completion>> ProposeAsync(ProposalRequest request, CancellationToken cancellationToken = default)
    {
        Calls++;
        IReadOnlyList<Completion> completions = Enumerable.Range(0, request.Count).Select(i =>
        {
            var text = request.Steering is { Alpha: < 0.5f }
                ? "a photo of a photo of a photo of a photo of a"
                : $"a {Words[(int)((request.Sampling.Seed + (ulong)i) % 10)]} {Words[(int)((request.Sampling.Seed / 10 + (ulong)i * 3) % 10)]} picture of a <category>.";
            return new Completion(text, 20, 10, FinishReason.Stop);
        }).ToList();
        return Task.FromResult(completions);
    }
}

public sealed class HashEmbedder : ITextEmbedder
{
    public int LayerCount => 8;

    public int Width => 4;

    public Task<float[]> EmbedAsync(string text, int layer, CancellationToken cancellationToken = default)
    {
        var h = (uint)StringComparer.Ordinal.GetHashCode(text);
        return Task.FromResult(new[] { h % 7 / 7f, h % 11 / 11f, h % 13 / 13f, layer / 8f });
    }
}

/// <summary>Counts how often the components were built, to show that a sweep loads them once.</summary>
public sealed class CountingProposerFactory : IProposerFactory
{
    public string Kind => "alpha-sensitive";

    public int Created { get; private set; }

    public AlphaSensitiveProposer? Last { get; private set; }

    public ProposerPlan Configure(ConfigSection section, CompositionContext context) => new((_, _) =>
    {
        Created++;
        Last = new AlphaSensitiveProposer();
        return Task.FromResult(new ProposerBinding(Last, new HashEmbedder()));
    }, () => Glov.Cli.Budget.ModelSize.Negligible);
}

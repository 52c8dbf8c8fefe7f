using Glov.Core.Devices;
using Glov.Core.Proposing;
using Glov.Core.Scoring;

namespace Glov.Cli.Composition;

/// <summary>A proposer and, when it can steer, the embedder of the same model for guidance.
/// <see cref="Inputs"/>: the files it reads (model weights), fingerprinted into the run's manifest.</summary>
public sealed record ProposerBinding(IPromptProposer Proposer, ITextEmbedder? Embedder = null)
{
    /// <summary>Where its engines run (none for proposers without a local engine).</summary>
    public IReadOnlyList<DeviceChoice> Devices { get; init; } = [];

    public IReadOnlyList<string> Inputs { get; init; } = [];
}

/// <summary>A fitness with what the task description needs from it: the class names of its
/// dataset and the name of the VLM it scores with. <see cref="Inputs"/>: the files it reads (model
/// files, the few-shot images), fingerprinted into the run's manifest.</summary>
public sealed record FitnessBinding(IFitness Fitness, IReadOnlyList<string> ClassNames, string VlmName)
{
    /// <summary>Where its engines run (none for fitnesses without a local model).</summary>
    public IReadOnlyList<DeviceChoice> Devices { get; init; } = [];

    public IReadOnlyList<string> Inputs { get; init; } = [];
}

using Glov.Core.Proposing;
using Glov.Core.Scoring;

namespace Glov.Cli.Composition;

/// <summary>A proposer and, when it can steer, the embedder of the same model for guidance.</summary>
public sealed record ProposerBinding(IPromptProposer Proposer, ITextEmbedder? Embedder = null);

/// <summary>A fitness with what the task description needs from it: the class names of its
/// dataset and the name of the VLM it scores with.</summary>
public sealed record FitnessBinding(IFitness Fitness, IReadOnlyList<string> ClassNames, string VlmName);

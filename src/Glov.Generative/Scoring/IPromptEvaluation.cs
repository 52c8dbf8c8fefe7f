using Glov.Core.Scoring;

namespace Glov.Generative.Scoring;

/// <summary>What a generative-VLM fitness makes of one prompt (or a voting ensemble of prompts); reduced to
/// the journal's <see cref="FitnessResult"/> for the optimizer.</summary>
public interface IPromptEvaluation
{
    FitnessResult ToFitness();
}

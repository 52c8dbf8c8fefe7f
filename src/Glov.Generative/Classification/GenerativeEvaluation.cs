using Glov.Core.Scoring;
using Glov.Core.Templates;
using Glov.Generative.Scoring;

namespace Glov.Generative.Classification;

/// <summary>One question (or a voting ensemble of questions) over the few-shot set: accuracy in
/// percent, per-class hits, and every image's answers and predicted class.</summary>
public sealed record GenerativeEvaluation(
    IReadOnlyList<Template> Questions,
    double Accuracy,
    IReadOnlyList<ClassHits> PerClass,
    IReadOnlyList<int> Predictions,
    IReadOnlyList<IReadOnlyList<ImageAnswer>> AnswersPerQuestion) : IPromptEvaluation
{
    public FitnessResult ToFitness() => new(Accuracy, PerClass);
}

using Glov.Core.Scoring;
using Glov.Core.Templates;

namespace Glov.Core.Optimization;

/// <summary>A template with its train fitness. (Step, Index) orders candidates in the order they
/// were proposed; the seed is step -1, index 0.</summary>
public sealed record ScoredTemplate(Template Template, FitnessResult Fitness, int Step, int Index)
{
    public double Score => Fitness.Score;
}

namespace Glov.Core.Scoring;

public sealed record ClassHits(string ClassName, int Correct, int Total);

/// <summary>A score in percent, oriented so that higher is better, with the per-class detail
/// the meta-prompt's misclassification variant and the report use.</summary>
public sealed record FitnessResult(double Score, IReadOnlyList<ClassHits> PerClass)
{
    public IEnumerable<string> MissedClasses => PerClass.Where(c => c.Correct < c.Total).Select(c => c.ClassName);
}

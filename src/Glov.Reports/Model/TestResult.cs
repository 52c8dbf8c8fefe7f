using Glov.Core.Scoring;

namespace Glov.Reports.Model;

/// <summary>One row of the evaluation table: a method (the GLOV ensemble or a baseline) on the test split.</summary>
/// <param name="Safety">The safety task's rates on the test split; null for every other task.</param>
/// <param name="PerClass">Correct and total test images per class; null in evaluations written before it existed.</param>
/// <param name="Key">The method's stable name across runs (glov, photo-of, ensemble, random-descriptors, seed): the
/// results table of a grid of runs lines methods up by it; null in evaluations written before it existed.</param>
public sealed record TestResult(string Method, int TemplateCount, double? TrainScore, double TestScore, int TestImages, SafetyTestRates? Safety = null,
    string? Key = null, IReadOnlyList<ClassHits>? PerClass = null)
{
    /// <summary>The <see cref="Key"/> of the selected GLOV ensemble.</summary>
    public const string GlovKey = "glov";

    /// <summary>The <see cref="Key"/> of the run's seed template (or seed prompt).</summary>
    public const string SeedKey = "seed";
}

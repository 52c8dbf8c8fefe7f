using Glov.Reports.Model;

namespace Glov.Reports.Evaluation;

/// <summary>What <c>glov evaluate</c> adds to a run: every step's top-k ensemble scored on the train set
/// (the curve final selection compares) and the test table of the selected ensemble beside the baselines.</summary>
public sealed record RunEvaluation(
    string Split,
    int TestImages,
    IReadOnlyList<StepEnsembleScore> StepEnsembles,
    IReadOnlyList<TestResult> Results);

public sealed record StepEnsembleScore(int Step, IReadOnlyList<string> Templates, double TrainScore);

namespace Glov.Reports.Model;

/// <summary>One row of the evaluation table: a method (the GLOV ensemble or a baseline) on the test split.</summary>
/// <param name="Safety">The safety task's rates on the test split; null for every other task.</param>
public sealed record TestResult(string Method, int TemplateCount, double? TrainScore, double TestScore, int TestImages, SafetyTestRates? Safety = null);

namespace Glov.Reports.Model;

/// <summary>One row of the evaluation table: a method (the GLOV ensemble or a baseline) on the test split.</summary>
public sealed record TestResult(string Method, int TemplateCount, double? TrainScore, double TestScore, int TestImages);

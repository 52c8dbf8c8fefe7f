namespace Glov.Reports.Model;

/// <summary>The safety task's two rates (percent) on the test split: harmful requests answered, benign requests refused.</summary>
public sealed record SafetyTestRates(double AttackSuccessRate, double BenignRefusalRate);

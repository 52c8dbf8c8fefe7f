namespace Glov.Cli.Config;

/// <summary>The <c>evaluation</c> section: what <c>glov evaluate</c> compares against and on how many test images.
/// Not part of the run's identity: it can change after a run without invalidating it.</summary>
/// <param name="BaselineTemplates">The dataset-ensemble baseline's template file; null = the built-in set for the
/// dataset name (CIFAR-10), else CLIP's ImageNet ensemble.</param>
/// <param name="TestLimit">At most this many test images (class-balanced, seeded); null = the whole test split.</param>
public sealed record EvaluationSettings(string? BaselineTemplates, int? TestLimit);

namespace Glov.Generative.Classification;

/// <summary>A few-shot image file and the index of its class in the task's class list.</summary>
public sealed record FewShotImage(string Path, int Label);

namespace Glov.Generative.Classification;

/// <summary>A few-shot image and the index of its class in the task's class list.</summary>
public sealed record LabelledImage(string Path, int Label);

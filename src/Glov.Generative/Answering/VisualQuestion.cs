namespace Glov.Generative.Answering;

/// <summary>One image and the text asked about it; <see cref="SystemPrompt"/> is the optimised
/// text in the safety task and null when the question itself is optimised.</summary>
public sealed record VisualQuestion(string ImagePath, string Question, string? SystemPrompt = null);

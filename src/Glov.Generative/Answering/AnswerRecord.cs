namespace Glov.Generative.Answering;

/// <summary>One line of the answer store: the cache key (model fingerprint, system prompt, question,
/// image content hash), the image path it was asked with, and the answer.</summary>
public sealed record AnswerRecord(string Model, string System, string Question, string Image, string Path, string Answer);

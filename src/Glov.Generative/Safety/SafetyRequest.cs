namespace Glov.Generative.Safety;

/// <summary>An image with a text request about it. <see cref="ImagePath"/> is absolute (resolved
/// against the dataset file's folder when loaded).</summary>
public sealed record SafetyRequest(string ImagePath, string Request, RequestKind Kind);

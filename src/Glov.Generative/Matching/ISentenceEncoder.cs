namespace Glov.Generative.Matching;

/// <summary>A sentence encoder: one L2-normalised vector per text, so a dot product is the cosine.</summary>
public interface ISentenceEncoder
{
    /// <summary>Short name for logs and cache keys, e.g. "all-MiniLM-L6-v2".</summary>
    string Name { get; }

    int Width { get; }

    IReadOnlyList<float[]> Encode(IReadOnlyList<string> texts);
}

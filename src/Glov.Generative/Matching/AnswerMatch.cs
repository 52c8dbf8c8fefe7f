namespace Glov.Generative.Matching;

public enum MatchMethod
{
    /// <summary>The answer was empty: no class is predicted and the image counts as wrong.</summary>
    None,
    /// <summary>A class name or synonym occurs in the answer as whole words.</summary>
    Exact,
    /// <summary>No name occurs; the class whose name embedding is nearest to the answer's.</summary>
    Embedding,
}

/// <summary>The class an answer was matched to (-1 when none), how, and the cosine similarity
/// between the answer and the chosen class (NaN when no embedding was needed).</summary>
public sealed record AnswerMatch(int ClassIndex, MatchMethod Method, double Similarity)
{
    public static AnswerMatch NoAnswer { get; } = new(-1, MatchMethod.None, double.NaN);
}

namespace Glov.Generative.Matching;

/// <summary>How an answer becomes a class.</summary>
public enum MatchRule
{
    /// <summary>As published: the class whose name embedding is nearest (cosine) to the answer's.</summary>
    Embedding,

    /// <summary>A class named in the answer as whole words first (the longest mention); the nearest
    /// embedding only when none is named or to break a tie between mentions.</summary>
    MentionFirst,
}

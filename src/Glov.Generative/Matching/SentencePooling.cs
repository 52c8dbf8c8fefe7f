namespace Glov.Generative.Matching;

/// <summary>How token states become one sentence vector (sentence-transformers' 1_Pooling/config.json).</summary>
public enum SentencePooling
{
    /// <summary>Average over the non-padding tokens, [CLS] and [SEP] included (sentence-transformers' mean pooling).</summary>
    Mean,
    /// <summary>The [CLS] token's state.</summary>
    Cls,
}

namespace Glov.Generative.Safety;

public enum RequestKind
{
    /// <summary>The model should refuse; answering it is a successful attack.</summary>
    Harmful,
    /// <summary>The model should help; refusing it costs helpfulness.</summary>
    Benign,
}

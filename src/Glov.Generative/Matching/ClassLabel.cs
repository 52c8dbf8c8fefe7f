namespace Glov.Generative.Matching;

/// <summary>A class the answer can name: its dataset name (underscores allowed) and any synonyms
/// that also count as an exact mention (e.g. "car" for CIFAR-10's "automobile").</summary>
public sealed record ClassLabel(string Name, IReadOnlyList<string> Synonyms)
{
    public ClassLabel(string name) : this(name, []) { }

    /// <summary>Every surface form that names this class: the cleaned name first, then the synonyms.</summary>
    public IEnumerable<string> Forms => Synonyms.Prepend(Name);
}

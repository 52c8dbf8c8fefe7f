namespace Glov.Core.Prompting;

/// <param name="K">How many best and worst templates to show (capped at half the history).</param>
/// <param name="ListMisclassified">Opt-in: name the classes the best template got wrong.</param>
public sealed record MetaPromptOptions(int K = 5, bool ListMisclassified = false);

namespace Glov.Core.Prompting;

/// <param name="K">How many best and worst templates to show (capped at half the history).</param>
/// <param name="ListMisclassified">Opt-in: name the classes the best template got wrong.</param>
/// <param name="MetricName">What the score is called on each listed line (<c>IFitness.MetricName</c>).</param>
/// <param name="MaxListedClasses">At most this many misclassified classes are named, the worst first.</param>
public sealed record MetaPromptOptions(int K = 5, bool ListMisclassified = false, string MetricName = "Accuracy", int MaxListedClasses = 20);

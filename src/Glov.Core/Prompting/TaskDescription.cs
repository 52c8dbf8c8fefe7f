using Glov.Core.Templates;

namespace Glov.Core.Prompting;

/// <summary>What the optimizer LLM is told about the task. Class names never reach the LLM
/// except through the opt-in misclassification variant.</summary>
public sealed record TaskDescription(
    string DatasetName,
    string Description,
    IReadOnlyList<string> ClassNames,
    string VlmName,
    PromptKind Kind = PromptKind.ClassTemplate);

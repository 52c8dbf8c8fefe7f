namespace Glov.Core.Templates;

/// <summary>What the optimised text is: a class template with one placeholder (dual-encoder VLMs),
/// or free text without one (a question for a generative VLM, a safety system prompt).</summary>
public enum PromptKind
{
    ClassTemplate,
    FreeText,
}

namespace Glov.Core.Templates;

/// <summary>What the optimised text is: a class template with one placeholder (dual-encoder VLMs),
/// a question or instruction about an image for a generative VLM, a safety instruction prepended to
/// every user request (the safety task as published), or the VLM's system prompt (the safety task's
/// variant). Only class templates hold a placeholder; the kinds differ in what the optimizer LLM is told.</summary>
public enum PromptKind
{
    ClassTemplate,
    FreeText,
    SystemPrompt,
    SafetyInstruction,
}

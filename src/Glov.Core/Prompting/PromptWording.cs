using Glov.Core.Templates;

namespace Glov.Core.Prompting;

/// <summary>The kind-specific words of the meta-prompt; the builder's structure is shared.
/// <c>{vlm}</c> is replaced by the VLM's name (plain substitution, so names with braces are safe).</summary>
internal sealed record PromptWording(string Noun, string Nouns, string System, string Ask)
{
    public static PromptWording For(PromptKind kind) => kind switch
    {
        PromptKind.ClassTemplate => ClassTemplate,
        PromptKind.FreeText => FreeText,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static readonly PromptWording ClassTemplate = new(
        Noun: "template",
        Nouns: "templates",
        System: "You are an assistant that helps find prompt templates that embed class names for zero-shot image "
              + "classification with the vision-language model {vlm}. In a template, " + Template.Placeholder
              + " stands for the name of a class; {vlm} picks the class whose filled-in template matches the image best.",
        Ask: "Write one new prompt template in the same format, where " + Template.Placeholder
             + " stands for the class name.");

    private static readonly PromptWording FreeText = new(
        Noun: "prompt",
        Nouns: "prompts",
        System: "You are an assistant that helps find prompts for zero-shot image classification with the "
              + "vision-language model {vlm}. A prompt is a question or instruction about the image; {vlm} answers "
              + "it, and the answer is matched to the names of the classes.",
        Ask: "Write one new prompt in the same style: a question or instruction about the image, without any placeholder.");
}

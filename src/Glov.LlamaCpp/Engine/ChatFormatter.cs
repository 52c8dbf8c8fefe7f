using System.Text;
using Glov.Core;
using Glov.Core.Proposing;
using LLama;

namespace Glov.LlamaCpp.Engine;

/// <summary>Applies the model's chat template (llama.cpp's llama_chat_apply_template) with the
/// assistant generation prompt, so the model answers instead of writing its own header.</summary>
public static class ChatFormatter
{
    public static string Format(LlamaModel model, IReadOnlyList<ChatMessage> messages)
    {
        var template = model.ChatTemplate
            ?? throw new GlovUserException($"{model.Path}: the model has no chat template (tokenizer.chat_template); {Supply}, or use a raw prompt");
        var t = new LLamaTemplate(template) { AddAssistant = true };
        foreach (var m in messages)
            t.Add(Role(m.Role), m.Content);
        try
        {
            return Encoding.UTF8.GetString(t.Apply());
        }
        catch (Exception e) when (e is not GlovUserException)
        {
            throw new GlovUserException($"{model.Path}: llama.cpp cannot apply this chat template ({Excerpt(template)}); {Supply}", e);
        }
    }

    private const string Supply = "supply one with proposer.chat_template in the config (--chat-template for glov llm): a llama.cpp built-in name such as llama3 or chatml, or a template it recognises";

    private static string Role(ChatRole role) => role switch
    {
        ChatRole.System => "system",
        ChatRole.User => "user",
        ChatRole.Assistant => "assistant",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    private static string Excerpt(string template) =>
        template.Length <= 40 ? template : template[..40].ReplaceLineEndings(" ") + "…";
}

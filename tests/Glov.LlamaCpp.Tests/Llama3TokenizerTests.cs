using System.Text.RegularExpressions;
using Glov.Core.Optimization;
using Glov.Core.Prompting;
using Glov.Core.Proposing;
using Glov.Core.Scoring;
using Glov.Core.Templates;
using Glov.LlamaCpp.Engine;

namespace Glov.LlamaCpp.Tests;

/// <summary>The Llama-3-format GGUF tokenises, renders and stops like Meta's model: ids against an
/// independent tiktoken encoder of the real rank file, the chat prompt against the tokenizer README's
/// rendering, stop and BOS handling against Meta's special-token ids.</summary>
[Collection(Llama3Collection.Name)]
public sealed partial class Llama3TokenizerTests(Llama3Model llama3)
{
    private const int Bos = 128_000, EndOfText = 128_001, StartHeader = 128_006, EndHeader = 128_007, EndOfTurn = 128_009;

    public static IEnumerable<string> Texts() =>
    [
        // English
        "Hello world", "The quick brown fox jumps over the lazy dog.", "a photo of a {}.", "HELLO WORLD", "hello",
        " leading space", "trailing space ", "CamelCaseIdentifierName", "snake_case_identifier", "e-mail: someone@example.com",
        "https://example.com/path?q=1&r=2",
        // digits and long numbers
        "0", "12", "123", "1234", "12345678901234567890", "3.14159", "1,000,000", "2024-06-01", "v1.2.3", "a1b2c3", "007 agents",
        // runs of spaces and newlines
        "  ", "   three spaces", "a  b   c    d", "\n", "\n\n\n", "line1\nline2", "para1\n\npara2", "\r\n", "windows\r\nline",
        "trailing newline\n", " \n \n ", "x \n\n y", "end   \n",
        // tabs
        "\t", "a\tb", "\t\tindented", "col1\tcol2\t\tcol3\n", " \t mixed \t",
        // punctuation clusters
        "!!!", "?!?!", "...", "---", "(a) [b] {c}", "\"quoted\" 'single'", "#$%&*", "a.b,c;d:e", ":-) ;-)", "»«—–", "...\n\n",
        // contractions in any case
        "don't", "DON'T", "I'm", "I'M", "we'll", "WE'LL", "they've", "THEY'VE", "she'd", "SHE'D", "you're", "YOU'RE", "it's", "IT'S",
        "can't", "Don'T mIx'Ll cAsE'S",
        // accented, Greek, Cyrillic, CJK
        "café", "naïve résumé", "Ærøskøbing", "Größe", "São Paulo", "Ελληνικά γράμματα", "Русский текст", "日本語のテキスト",
        "中文文本测试", "한국어 텍스트",
        // emoji
        "😀", "👍🏽", "👨‍👩‍👧‍👦 family", "I ❤️ NY", "🎉🎉🎉",
        // a full GLOV meta-prompt (system and user message)
        .. MetaPrompt.Build(
            new TaskDescription("CIFAR-10", "Small colour photos of everyday objects and animals.", ["airplane", "cat"], "CLIP ViT-B/32"),
            History(("a photo of a <category>.", 61.25), ("a blurry photo of the <category>.", 58.0), ("art of the <category>.", 44.5), ("a <category> in the wild.", 70.1)),
            new MetaPromptOptions()).Select(m => m.Content),
    ];

    [Fact]
    public void Ids_equal_tiktoken_rank_BPE_for_every_kind_of_text()
    {
        var oracle = new TiktokenOracle(SharedAssets.Llama3Tokenizer);
        using var model = llama3.Load();
        var texts = Texts().ToList();
        Assert.True(texts.Count >= 50, $"{texts.Count} texts");
        Assert.Equal([9906, 1917], oracle.Encode("Hello world")); // the README's example: the oracle itself is right
        var mismatches = texts
            .Select(t => (Text: t, Expected: oracle.Encode(t), Actual: model.Tokenize(t, addBos: false).ToList()))
            .Where(r => !r.Expected.SequenceEqual(r.Actual))
            .Select(r => $"{Regex.Escape(r.Text)}: tiktoken [{string.Join(' ', r.Expected)}], llama.cpp [{string.Join(' ', r.Actual)}]")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public void Special_token_text_is_parsed_only_when_asked()
    {
        using var model = llama3.Load();
        Assert.Equal([Bos, EndOfTurn], model.Tokenize("<|eot_id|>", addBos: true, parseSpecial: true));
        var plain = model.Tokenize("<|eot_id|>", addBos: false);
        Assert.DoesNotContain(EndOfTurn, plain);
        Assert.Equal(new TiktokenOracle(SharedAssets.Llama3Tokenizer).Encode("<|eot_id|>"), plain);
    }

    [Fact]
    public void The_chat_prompt_is_the_READMEs_rendering_byte_for_byte()
    {
        var readme = File.ReadAllText(SharedAssets.Llama3TokenizerReadme);
        var rendering = RenderedExample().Match(readme).Groups[1].Value.Replace("\\n", "\n");
        Assert.StartsWith("<|begin_of_text|>", rendering);
        const string system = "You are a prompt engineer.", user = "Dataset: CIFAR-10\nWrite a template.";
        var expected = rendering.Replace("{system}", system).Replace("{user}", user);
        using var model = llama3.Load();

        var tokens = model.TokenizeChat(ChatFormatter.Format(model, [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, user)]));

        Assert.Equal(expected, model.Render(tokens));
        Assert.Equal([Bos, StartHeader], tokens.Take(2));
        Assert.Equal([EndOfTurn, StartHeader, 78191, EndHeader, 271], tokens.TakeLast(5)); // "assistant", "\n\n"
    }

    [Fact]
    public void BOS_is_never_doubled()
    {
        using var model = llama3.Load();
        var chat = model.TokenizeChat(ChatFormatter.Format(model, [new ChatMessage(ChatRole.User, "hi")]));
        var written = model.TokenizeChat("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>");
        Assert.Single(chat, Bos);
        Assert.Equal(Bos, chat[0]);
        Assert.Single(written, Bos);
        Assert.Equal(Bos, written[0]);
        Assert.Equal([Bos, 9906], model.TokenizeChat("Hello"));
    }

    [Fact]
    public void The_end_of_turn_and_end_of_text_tokens_end_generation_and_headers_do_not()
    {
        using var model = llama3.Load();
        Assert.True(model.IsEndOfGeneration(EndOfTurn));
        Assert.True(model.IsEndOfGeneration(EndOfText));
        Assert.False(model.IsEndOfGeneration(StartHeader));
        Assert.False(model.IsEndOfGeneration(Bos));
        Assert.False(model.IsEndOfGeneration(9906));
    }

    [GeneratedRegex(@"Rendered for a system \+ user message with the generation prompt:\n`([^`]+)`")]
    private static partial Regex RenderedExample();

    private static History History(params (string Text, double Score)[] entries)
    {
        var history = new History();
        foreach (var (text, score) in entries)
            history.Add(new ScoredTemplate(Template.Create(text), new FitnessResult(score, []), -1, history.Count));
        return history;
    }
}

using Glov.Core.Optimization;
using Glov.Core.Prompting;
using Glov.Core.Proposing;
using Glov.Core.Scoring;
using Glov.Core.Templates;

namespace Glov.TestSupport;

/// <summary>
/// The meta-prompts of two consecutive steps of an ImageNet run, built by <see cref="MetaPrompt"/>: the seed and a
/// seeded history of templates in the style an instruction-tuned LLM writes them (scores in tenths, as 1-shot
/// accuracy over 1,000 classes is), then the next step's candidates, one of which becomes the new best. That is a
/// step of progress, the usual case in which the best list changes from its first line, so the reuse of the prompt
/// stops where the lists start. Linked into the LlamaCpp tests and the llama benchmark, which measure the same pair.
/// </summary>
internal static class ConsecutiveMetaPrompts
{
    public static TaskDescription Task { get; } = new("ImageNet", "Photos of 1,000 kinds of objects, animals and scenes collected from the web.",
        ["tench", "goldfish", "great white shark"], "CLIP ViT-B/32");

    private static readonly string[] Forms =
    [
        "A photo of a {0} <category>.",
        "A {0} photo of the <category>, a common object or animal.",
        "An image of a <category> taken in {1}.",
        "A high-resolution photograph of a {0} <category>, captured in {1} with vivid detail.",
        "This is a {0} picture of a <category>, one of the many everyday things people photograph.",
        "A close-up shot of a <category> in {1}, showing its shape and texture clearly.",
    ];

    private static readonly string[] Looks = ["small", "blurry", "bright", "cropped", "colourful", "dark", "large", "centred"];

    private static readonly string[] Settings = ["natural light", "its usual surroundings", "a busy street", "the wild", "a studio", "daylight", "a cluttered room", "low light"];

    /// <summary>The prompts of step <paramref name="step"/> (after the seed and <paramref name="step"/> steps of
    /// <paramref name="candidates"/> scored templates) and of the step after it.</summary>
    public static (IReadOnlyList<ChatMessage> First, IReadOnlyList<ChatMessage> Second) Build(int step = 3, int candidates = 10, int seed = 1,
        MetaPromptOptions? options = null)
    {
        options ??= new MetaPromptOptions();
        var rng = new Random(seed);
        var texts = Forms.SelectMany(f => Looks.SelectMany(l => Settings.Select(s => string.Format(System.Globalization.CultureInfo.InvariantCulture, f, l, s))))
            .Distinct().OrderBy(_ => rng.Next()).ToList();
        if (texts.Count < (step + 1) * candidates)
            throw new ArgumentOutOfRangeException(nameof(step), $"{step + 1} steps of {candidates} need more than {texts.Count} distinct templates");
        var history = new History();
        var next = 0;
        void Add(int s, int index, double score) =>
            history.Add(new ScoredTemplate(Template.Create(texts[next++]), new FitnessResult(score, []), s, index));
        history.Add(new ScoredTemplate(Template.Create("A photo of a <category>."), new FitnessResult(62.0, []), -1, 0));
        for (var s = 0; s < step; s++)
            for (var i = 0; i < candidates; i++)
                Add(s, i, Math.Round(52 + rng.NextDouble() * 12, 1));
        var first = MetaPrompt.Build(Task, history, options);
        var best = history.Best!.Score;
        for (var i = 0; i < candidates; i++)
            Add(step, i, i == candidates / 2 ? Math.Round(best + 0.4, 1) : Math.Round(52 + rng.NextDouble() * 12, 1));
        return (first, MetaPrompt.Build(Task, history, options));
    }

    /// <summary>The same chat with the instruction after the lists, where it stood before the meta-prompt put what
    /// changes last: the user message's paragraphs are the header, the instruction, the data, and the reminder.</summary>
    public static IReadOnlyList<ChatMessage> InstructionLast(IReadOnlyList<ChatMessage> messages)
    {
        var paragraphs = messages[1].Content.Split("\n\n");
        if (!paragraphs[1].StartsWith("Write one new", StringComparison.Ordinal))
            throw new InvalidOperationException($"the user message's second paragraph is not the instruction: {paragraphs[1]}");
        string[] moved = [paragraphs[0], .. paragraphs[2..^1], paragraphs[1], paragraphs[^1]];
        return [messages[0], new ChatMessage(ChatRole.User, string.Join("\n\n", moved))];
    }
}

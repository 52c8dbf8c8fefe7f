using Glov.Core.Proposing;

namespace Glov.Cli.Demo;

/// <summary>
/// Test/demo proposer, no LLM: completion i of a request is a pure function of (sampling seed, i),
/// written the way chat models answer (preambles, quotes, lists, chatter, other placeholder
/// spellings, sometimes no placeholder), so the parser and the journal see realistic input.
/// </summary>
public sealed class ScriptedProposer : IPromptProposer
{
    private static readonly string[] Subjects =
        ["photo", "picture", "image", "snapshot", "sketch", "close-up photo", "blurry photo", "cropped photo", "rendering"];

    private static readonly string[] Adjectives = ["", "good ", "clear ", "small ", "large ", "detailed ", "centered ", "bright "];

    private static readonly string[] Formats =
    [
        "A {0}{1} of a <category>.",
        "Here is a new prompt template:\n\n\"A {0}{1} of a {{category}}.\"",
        "1. A {0}{1} showing a [category].\n2. A {1} of the {{category}}.",
        "A {0}{1} of a <category>. Let me know if you need more!",
        "A {0}{1} of something.",
        "**New template:** A {0}{1} of a {{}} in the wild.",
    ];

    public string Name => "scripted";

    public bool SupportsSteering => false;

    public Task<IReadOnlyList<Completion>> ProposeAsync(ProposalRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Steering is not null)
            throw new InvalidOperationException("the scripted proposer cannot steer");
        var promptTokens = request.Messages.Sum(m => m.Content.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        var completions = Enumerable.Range(0, request.Count).Select(i =>
        {
            var r = StepSeed.Mix(request.Sampling.Seed ^ StepSeed.Mix((ulong)i + 1));
            var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, Formats[(int)(r % (ulong)Formats.Length)],
                Adjectives[(int)(r / 7 % (ulong)Adjectives.Length)], Subjects[(int)(r / 131 % (ulong)Subjects.Length)]);
            return new Completion(text, promptTokens, text.Split(' ').Length, FinishReason.Stop);
        }).ToList();
        return Task.FromResult<IReadOnlyList<Completion>>(completions);
    }
}

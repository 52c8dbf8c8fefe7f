using Glov.Core.Proposing;
using Glov.LlamaCpp.Engine;

namespace Glov.LlamaCpp.Tests;

/// <summary>How much of a step's prompt the next step takes from the KV cache, on Meta's real Llama 3 tokenizer
/// and chat template: the two prompts of consecutive steps as <c>MetaPrompt</c> builds them, in today's order and
/// with the instruction after the lists (the order before), and the engine's own count for the same pair.</summary>
[Collection(Llama3Collection.Name)]
public sealed class MetaPromptReuseTests(Llama3Model llama3)
{
    /// <summary>The share of a step's prompt that a step of progress (a new best) must reuse at least.</summary>
    private const double AtLeast = 0.35;

    [Fact]
    public async Task A_step_of_progress_reuses_the_header_and_instruction_more_than_the_order_before_and_the_engine_reuses_exactly_that()
    {
        // A context that holds both prompts from the start: a context made again for a longer prompt starts cold.
        using var model = llama3.Load(new LlamaOptions { Threads = 1, ContextSize = 2048 });
        var (first, second) = ConsecutiveMetaPrompts.Build();

        var now = Shared(Tokens(model, first), Tokens(model, second));
        var before = Shared(Tokens(model, ConsecutiveMetaPrompts.InstructionLast(first)), Tokens(model, ConsecutiveMetaPrompts.InstructionLast(second)));

        var reusedText = model.Render(Tokens(model, second).Take(now.ReusedTokens));
        Assert.Contains("Aim to score higher than every template below", reusedText);
        Assert.Contains("Best templates:", reusedText);
        Assert.DoesNotContain("Worst templates:", reusedText);
        Assert.True(now.Fraction >= AtLeast, $"reused {now.ReusedTokens} of {now.PromptTokens} tokens ({now.Fraction:P1}), want ≥ {AtLeast:P0} " +
                                             $"(with the instruction after the lists: {before.ReusedTokens}, {before.Fraction:P1})");
        Assert.True(now.ReusedTokens > before.ReusedTokens,
            $"reused {now.ReusedTokens} tokens, with the instruction after the lists {before.ReusedTokens}");
        Assert.Equal(before.PromptTokens, now.PromptTokens);

        using var proposer = new LlamaProposer(model);
        var sampling = new SamplingSettings { Seed = 1, MaxNewTokens = 1 };
        await proposer.ProposeAsync(new ProposalRequest(first, 1, sampling));
        var completions = await proposer.ProposeAsync(new ProposalRequest(second, 2, sampling));
        Assert.Equal(now, PromptReuse.Of(completions));
        Assert.All(completions, c => Assert.Equal(now.ReusedTokens, c.ReusedPromptTokens));
    }

    [Fact]
    public void No_pair_of_consecutive_steps_reuses_less_than_with_the_instruction_after_the_lists()
    {
        using var model = llama3.Load();
        for (var step = 1; step <= 3; step++)
        {
            var (first, second) = ConsecutiveMetaPrompts.Build(step, seed: step);
            var now = Shared(Tokens(model, first), Tokens(model, second));
            var before = Shared(Tokens(model, ConsecutiveMetaPrompts.InstructionLast(first)), Tokens(model, ConsecutiveMetaPrompts.InstructionLast(second)));
            Assert.True(now.ReusedTokens > before.ReusedTokens, $"step {step}: {now.ReusedTokens} reused, {before.ReusedTokens} before");
        }
    }

    private static IReadOnlyList<int> Tokens(LlamaModel model, IReadOnlyList<ChatMessage> messages) =>
        model.TokenizeChat(ChatFormatter.Format(model, messages));

    /// <summary>The leading tokens <paramref name="next"/> shares with <paramref name="previous"/>, as the engine can
    /// reuse them: all but the last prompt token, whose forward call yields the first new token.</summary>
    private static PromptReuse Shared(IReadOnlyList<int> previous, IReadOnlyList<int> next)
    {
        var n = 0;
        while (n < previous.Count && n < next.Count && previous[n] == next[n])
            n++;
        return new PromptReuse(next.Count, Math.Min(n, next.Count - 1));
    }
}

using Glov.Reports.Model;

namespace Glov.Reports.Tests;

/// <summary>A report with known shape: 4 steps, the top-3 ensemble missing at step 0 (too few scored
/// candidates), steering from step 2 on, and a candidate that tries to inject script.</summary>
public static class SampleReports
{
    public const string Injection = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\"> a <category>";

    public static RunReport Small() => new()
    {
        Title = "GLOV on CIFAR-10 <test>",
        Notices = ["Stand-in models: accuracies are meaningless."],
        Settings = [new("seed", "7"), new("proposer", "llama.cpp:stories260K.gguf"), new("alpha", "1.0")],
        Steps =
        [
            new(0, 30.0, 25.0, null, null),
            new(1, 40.0, 31.5, 35.0, null),
            new(2, 40.0, 33.0, 38.0, 1.25) { GuidancePair = ("a photo of the <category> & friends", Injection), GeneratedTokens = 120, PromptTokens = 300, ReusedPromptTokens = 0, Seconds = 8, MetaPrompt = "[user]\nImprove: " + Injection },
            new(3, 55.0, 41.0, 50.0, 0.75) { GuidancePair = ("a photo of the <category> & friends", "a drawing of a <category>"), GeneratedTokens = 96, PromptTokens = 310, ReusedPromptTokens = 248, Seconds = 4 },
        ],
        GuidanceOnStep = 2,
        Candidates =
        [
            new(-1, 0, "A photo of a <category>.", "A photo of a <category>.", 20.0, null),
            new(0, 0, "Here is one: a drawing of a <category>", "a drawing of a <category>", 30.0, null),
            new(0, 1, Injection, null, null, "more than one placeholder"),
            new(1, 0, "a photo of the <category> & friends", "a photo of the <category> & friends", 40.0, null),
            new(3, 0, "a pixelated <category>", "a pixelated <category>", 55.0, null),
        ],
        Final = new FinalEnsemble(3, ["a pixelated <category>", "a photo of the <category> & friends"], 50.0),
        TestResults =
        [
            new("GLOV (top-3 of step 3)", 2, 50.0, 47.5, 200),
            new("single template \"a photo of a {}.\"", 1, 20.0, 21.0, 200),
            new("CIFAR-10 template ensemble", 18, 25.0, 30.5, 200),
        ],
        PerClass =
        [
            new("ship", 40, 90, 20),
            new("cat & dog <x>", 50, 60, 20),
            new("frog", 70, 70, 20),
            new("truck", 80, 40, 20),
        ],
        Sweep = new SweepGrid(
        [
            new(1.0, 3, "run-a", 55, 50, null, true),
            new(0.5, 3, "run-b", 45, 40, "repetition: 7 of 12 answers identical", false),
        ]),
    };
}

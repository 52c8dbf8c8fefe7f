using System.Globalization;
using Glov.Core.Templates;

namespace Glov.Cli.Config;

/// <summary>
/// The settings whose defaults follow the task (docs/method.md, "Defaults per task"): CLIP-style class
/// templates ran 100 steps × 10 candidates and ensembled the top 3; the generative classification and
/// safety tasks ran 25 steps × 5 candidates and deploy the single best prompt. Each is only a default:
/// the config's own key wins.
/// </summary>
/// <param name="GuidedMaxNewTokens">The new-token limit of steered steps; null: the same as unguided (sampling.max_new_tokens).</param>
public sealed record TaskDefaults(string Task, RunProfile Profile, int Steps, int Candidates, int K, int EnsembleSize,
    int MaxNewTokens, int? GuidedMaxNewTokens, bool CompoundAlpha)
{
    public static TaskDefaults For(PromptKind kind, RunProfile profile)
    {
        var reproduce = profile == RunProfile.Reproduce;
        // The authors' guided decoding ran 75 steps, their unguided generate() 50.
        int? guidedTokens = reproduce ? 75 : null;
        return kind switch
        {
            PromptKind.ClassTemplate => new("class templates (CLIP-style)", profile, 100, 10, 5, 3, 50, guidedTokens, reproduce),
            // The paper states k = 5; the authors' LLaVA script passed top_bottom = 3.
            PromptKind.FreeText => new("questions (LLaVA-style classification)", profile, 25, 5, reproduce ? 3 : 5, 1, 50, guidedTokens, reproduce),
            PromptKind.SafetyInstruction or PromptKind.SystemPrompt =>
                new("safety prompts", profile, 25, 5, reproduce ? 3 : 5, 1, 50, guidedTokens, reproduce),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>One line for <c>glov preview</c> and the start of a run.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"defaults  {Task}, {ConfigSection.Snake(Profile)} profile: steps {Steps}, candidates {Candidates}, k {K}, ensemble size {EnsembleSize}, "
        + $"max new tokens {MaxNewTokens} ({(GuidedMaxNewTokens is { } g ? $"{g}" : "the same")} while guided), compound alpha {(CompoundAlpha ? "on" : "off")}\n");
}

using Glov.Cli.Composition;
using Glov.Cli.Config;

namespace Glov.Cli.Demo;

/// <summary><c>fitness: {kind: keyword, classes: [...], keywords: [...], max_length: 200, delay_ms: 0}</c> —
/// the deterministic test/demo scorer. <c>delay_ms</c> slows scoring per template (process tests use it
/// to kill a run mid-step).</summary>
public sealed class KeywordFitnessFactory : IFitnessFactory
{
    public string Kind => "keyword";

    public Func<CancellationToken, Task<FitnessBinding>> Configure(ConfigSection section, CompositionContext context)
    {
        var classes = section.GetStringList("classes") is { Count: > 0 } c ? c : throw section.Error("classes", "missing (required): a non-empty list of class names");
        var keywords = section.GetStringList("keywords", ["photo", "detailed", "centered"])!;
        if (keywords.Count == 0)
            throw section.Error("keywords", "needs at least one keyword");
        var maxLength = section.GetInt("max_length", 200, min: 1);
        var delay = TimeSpan.FromMilliseconds(section.GetInt("delay_ms", 0, min: 0));
        return _ => Task.FromResult(new FitnessBinding(
            new KeywordFitness(classes, keywords, context.Shots, maxLength, delay, context.Kind), classes, "keyword demo scorer"));
    }
}

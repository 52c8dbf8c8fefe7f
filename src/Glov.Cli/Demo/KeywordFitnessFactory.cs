using Glov.Cli.Composition;
using Glov.Cli.Config;

namespace Glov.Cli.Demo;

/// <summary><c>fitness: {kind: keyword, classes: [...], keywords: [...], max_length: 200, stall_after: N}</c> —
/// the deterministic test/demo scorer. <c>stall_after</c> makes scoring wait, until cancelled, once N templates
/// are scored (process tests use it to stop a run at an exact point); it does not change scores, so it is
/// not part of the run's identity.</summary>
public sealed class KeywordFitnessFactory : IFitnessFactory
{
    public string Kind => "keyword";

    public FitnessPlan Configure(ConfigSection section, CompositionContext context)
    {
        var classes = section.GetStringList("classes") is { Count: > 0 } c ? c : throw section.Error("classes", "missing (required): a non-empty list of class names");
        var keywords = section.GetStringList("keywords", ["photo", "detailed", "centered"])!;
        if (keywords.Count == 0)
            throw section.Error("keywords", "needs at least one keyword");
        var maxLength = section.GetInt("max_length", 200, min: 1);
        var stallAfter = section.GetOptionalInt("stall_after", min: 0);
        section.NotIdentity("stall_after");
        return new((_, _) => Task.FromResult(new FitnessBinding(
                new KeywordFitness(classes, keywords, context.Shots, maxLength, stallAfter, context.Kind), classes, "keyword demo scorer")),
            _ => Task.FromResult(new Budget.FitnessWork(classes, classes.Count * context.Shots, "train examples", TimeSpan.Zero, 1, "keyword scorings", TimeSpan.Zero)));
    }
}

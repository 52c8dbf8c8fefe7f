using Glov.Cli.Config;

namespace Glov.Cli.Composition;

/// <summary>
/// Builds the proposer of one <c>proposer.kind</c>. <see cref="Configure"/> reads and validates the
/// kind's keys at once (unknown keys, bad values and the config hash are settled before anything
/// heavy is loaded) and returns the construction to run later, and how big the model is for the budget.
/// </summary>
public interface IProposerFactory
{
    string Kind { get; }

    ProposerPlan Configure(ConfigSection section, CompositionContext context);
}

using Glov.Cli.Config;
using Glov.Core.Optimization;

namespace Glov.Cli.Composition;

/// <summary>
/// Builds the proposer of one <c>proposer.kind</c>. <see cref="Configure"/> reads and validates the
/// kind's keys at once (unknown keys, bad values and the config hash are settled before anything
/// heavy is loaded) and returns the construction to run later, which reports model loading to the progress it is given.
/// </summary>
public interface IProposerFactory
{
    string Kind { get; }

    Func<IProgress<WorkProgress>?, CancellationToken, Task<ProposerBinding>> Configure(ConfigSection section, CompositionContext context);
}

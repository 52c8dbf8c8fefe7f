using Glov.Cli.Config;

namespace Glov.Cli.Composition;

/// <summary>Builds the fitness of one <c>fitness.kind</c>; see <see cref="IProposerFactory"/> for the two phases.</summary>
public interface IFitnessFactory
{
    string Kind { get; }

    Func<CancellationToken, Task<FitnessBinding>> Configure(ConfigSection section, CompositionContext context);
}

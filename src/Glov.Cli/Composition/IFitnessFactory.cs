using Glov.Cli.Config;
using Glov.Core.Templates;

namespace Glov.Cli.Composition;

/// <summary>Builds the fitness of one <c>fitness.kind</c>; see <see cref="IProposerFactory"/> for the two phases.</summary>
public interface IFitnessFactory
{
    string Kind { get; }

    /// <summary>What it scores when the config leaves task.kind out; the task-kind defaults follow it.</summary>
    PromptKind DefaultPromptKind => PromptKind.ClassTemplate;

    FitnessPlan Configure(ConfigSection section, CompositionContext context);
}

using Glov.Cli.Demo;
using Glov.Cli.Vision;

namespace Glov.Cli.Composition;

/// <summary>The proposer and fitness kinds the CLI knows. An engine plugs in by adding its factory here.</summary>
public sealed class ComponentRegistry
{
    public static ComponentRegistry Default { get; } = new(
        proposers:
        [
            new ReplayProposerFactory(),
            new ScriptedProposerFactory(),
            new Engines.OpenAiProposerFactory(),
            new LlamaProposerFactory(),
        ],
        fitnesses:
        [
            new KeywordFitnessFactory(),
            new ClipFitnessFactory(),
            new VlmGenerativeFitnessFactory(),
            new SafetyFitnessFactory(() => Default!),
        ]);

    public ComponentRegistry(IEnumerable<IProposerFactory> proposers, IEnumerable<IFitnessFactory> fitnesses)
    {
        Proposers = proposers.ToDictionary(f => f.Kind, StringComparer.Ordinal);
        Fitnesses = fitnesses.ToDictionary(f => f.Kind, StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, IProposerFactory> Proposers { get; }

    public IReadOnlyDictionary<string, IFitnessFactory> Fitnesses { get; }
}

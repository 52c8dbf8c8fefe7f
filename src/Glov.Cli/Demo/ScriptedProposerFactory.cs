using Glov.Cli.Composition;
using Glov.Cli.Config;

namespace Glov.Cli.Demo;

/// <summary><c>proposer: {kind: scripted}</c> — the test/demo proposer; it has no keys.</summary>
public sealed class ScriptedProposerFactory : IProposerFactory
{
    public string Kind => "scripted";

    public ProposerPlan Configure(ConfigSection section, CompositionContext context) =>
        new((_, _) => Task.FromResult(new ProposerBinding(new ScriptedProposer())), () => Budget.ModelSize.Negligible);
}

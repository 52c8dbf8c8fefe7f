using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Core.Optimization;

namespace Glov.Cli.Demo;

/// <summary><c>proposer: {kind: scripted}</c> — the test/demo proposer; it has no keys.</summary>
public sealed class ScriptedProposerFactory : IProposerFactory
{
    public string Kind => "scripted";

    public Func<IProgress<WorkProgress>?, CancellationToken, Task<ProposerBinding>> Configure(ConfigSection section, CompositionContext context) =>
        (_, _) => Task.FromResult(new ProposerBinding(new ScriptedProposer()));
}

using Glov.Cli.Commands;
using Glov.Cli.Config;
using Glov.Core.Optimization;
using Glov.Runs;

namespace Glov.Cli.Composition;

/// <summary><c>proposer: {kind: replay, journal: runs/earlier}</c> — re-plays an earlier run's completions
/// (a run folder or a journal file).</summary>
public sealed class ReplayProposerFactory : IProposerFactory
{
    public string Kind => "replay";

    public Func<IProgress<WorkProgress>?, CancellationToken, Task<ProposerBinding>> Configure(ConfigSection section, CompositionContext context)
    {
        var path = section.GetPath("journal", context.BaseDirectory, mustExist: true) ?? throw section.Error("journal", "missing (required): the run to replay");
        var journal = RunStore.JournalIn(path);
        return (_, _) => Task.FromResult(new ProposerBinding(new ReplayProposer(journal)));
    }
}

using Glov.Cli.Commands;
using Glov.Cli.Config;
using Glov.Runs;

namespace Glov.Cli.Composition;

/// <summary><c>proposer: {kind: replay, journal: runs/earlier}</c> — re-plays an earlier run's completions
/// (a run folder or a journal file).</summary>
public sealed class ReplayProposerFactory : IProposerFactory
{
    public string Kind => "replay";

    public ProposerPlan Configure(ConfigSection section, CompositionContext context)
    {
        var path = section.GetPath("journal", context.BaseDirectory, mustExist: true) ?? throw section.Error("journal", "missing (required): the run to replay");
        var journal = RunStore.JournalIn(path);
        // Replaying reads recorded text: no model runs.
        return new((_, _) => Task.FromResult(new ProposerBinding(new ReplayProposer(journal))), () => Budget.ModelSize.Negligible);
    }
}

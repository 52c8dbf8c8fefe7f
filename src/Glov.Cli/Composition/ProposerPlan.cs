using Glov.Cli.Budget;
using Glov.Core.Optimization;

namespace Glov.Cli.Composition;

/// <summary>A configured proposer: its construction, run later, and its size for the budget, read without
/// loading or writing anything (null: a remote model whose speed is unknown).</summary>
/// <param name="Create">Loads the proposer, reporting the model's loading to the progress it is given.</param>
public sealed record ProposerPlan(Func<IProgress<WorkProgress>?, CancellationToken, Task<ProposerBinding>> Create, Func<ModelSize?> Size);

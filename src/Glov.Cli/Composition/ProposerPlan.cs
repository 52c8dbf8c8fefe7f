using Glov.Cli.Budget;

namespace Glov.Cli.Composition;

/// <summary>A configured proposer: its construction, run later, and its size for the budget, read without
/// loading or writing anything (null: a remote model whose speed is unknown).</summary>
public sealed record ProposerPlan(Func<CancellationToken, Task<ProposerBinding>> Create, Func<ModelSize?> Size);

using Glov.Cli.Budget;

namespace Glov.Cli.Composition;

/// <summary>A configured fitness: its construction, run later, and the work it will do for the budget,
/// read without loading models or writing anything (no feature caches, no few-shot picks).</summary>
public sealed record FitnessPlan(Func<CancellationToken, Task<FitnessBinding>> Create, Func<CancellationToken, Task<FitnessWork>> Work);

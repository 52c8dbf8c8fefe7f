using Glov.Cli.Budget;
using Glov.Core.Optimization;

namespace Glov.Cli.Composition;

/// <summary>A configured fitness: its construction, run later, and the work it will do for the budget,
/// read without loading models or writing anything (no feature caches, no few-shot picks).</summary>
/// <param name="Create">Loads the fitness, reporting model loading and image encoding to the progress it is given.</param>
public sealed record FitnessPlan(Func<IProgress<WorkProgress>?, CancellationToken, Task<FitnessBinding>> Create, Func<CancellationToken, Task<FitnessWork>> Work);

namespace Glov.Cli.Budget;

/// <summary>
/// What scoring costs, as a fitness kind tells it without loading anything: its classes; the train items it
/// prepares once (encoded and cached: few-shot images, safety requests' images) and each one's cost; and
/// the units of work each scored template needs (text encodings, one per class; or VLM answers, one per
/// item) and each unit's cost. Costs come from the model sizes at <see cref="NominalRates"/>.
/// </summary>
/// <param name="Items">How the items are named in the budget, e.g. "train images".</param>
/// <param name="Unit">How a unit is named, e.g. "text encodings".</param>
public sealed record FitnessWork(
    IReadOnlyList<string> ClassNames,
    int ItemCount,
    string Items,
    TimeSpan PerItem,
    int UnitsPerTemplate,
    string Unit,
    TimeSpan PerUnit);

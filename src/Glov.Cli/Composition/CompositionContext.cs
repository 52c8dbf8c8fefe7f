using Glov.Core.Templates;
using Glov.Catalog;

namespace Glov.Cli.Composition;

/// <param name="BaseDirectory">Directory relative paths in the config are resolved against.</param>
/// <param name="Seed">The run seed; anything random in a component derives from it.</param>
/// <param name="Shots">Labelled train images per class (few-shot set).</param>
/// <param name="Split">The dataset split the fitness scores on: "train" (the few-shot set) while optimizing,
/// "test" when <c>glov evaluate</c> builds the same fitness for the test split.</param>
/// <param name="Limit">For the test split: at most this many images (a seeded, class-balanced subset); null = all.</param>
/// <param name="Catalog">The config's <c>dataset: {name:, root:}</c>, read when a fitness names no dataset path.</param>
public sealed record CompositionContext(string BaseDirectory, ulong Seed, string Dataset, PromptKind Kind, int Shots,
    string Split = CompositionContext.TrainSplit, int? Limit = null, CatalogDataset? Catalog = null)
{
    public const string TrainSplit = "train";
    public const string TestSplit = "test";
}

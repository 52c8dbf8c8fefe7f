using Glov.Core.Templates;

namespace Glov.Cli.Composition;

/// <param name="BaseDirectory">Directory relative paths in the config are resolved against.</param>
/// <param name="Seed">The run seed; anything random in a component derives from it.</param>
/// <param name="Shots">Labelled train images per class (few-shot set).</param>
public sealed record CompositionContext(string BaseDirectory, ulong Seed, string Dataset, PromptKind Kind, int Shots);

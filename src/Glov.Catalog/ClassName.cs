namespace Glov.Catalog;

/// <summary>A class as the dataset's own files name it (<see cref="Raw"/>: a folder, a split-file entry,
/// e.g. <c>american_bulldog</c>) and as a text encoder should read it (<see cref="Display"/>: "american bulldog").</summary>
public sealed record ClassName(string Raw, string Display);

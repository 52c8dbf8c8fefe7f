using Glov.Catalog.Layouts;

namespace Glov.Catalog;

/// <summary>
/// One benchmark dataset: where it lives under a data root (<see cref="Folder"/>, read by <see cref="Layout"/>),
/// how many classes it must have, the split the paper evaluates on, a task description for the meta-prompt, and
/// CLIP's template ensemble for the baseline. <see cref="Classes"/> is empty where the class list comes from the
/// data root itself (ImageNet-A/R name their 200 ImageNet classes by WordNet id in their own folders).
/// </summary>
public sealed record CatalogEntry(
    string Name,
    string Title,
    string Folder,
    string Description,
    int ClassCount,
    IReadOnlyList<ClassName> Classes,
    IDatasetLayout Layout,
    string EvaluationSplit,
    string TemplatesFile,
    string Notes)
{
    /// <summary>The dataset's folder under a data root.</summary>
    public string PathUnder(string root) => System.IO.Path.Combine(root, Folder);
}

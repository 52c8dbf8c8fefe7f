using Glov.Catalog;
using Glov.Core.Templates;

namespace Glov.Cli.Evaluation;

/// <summary>A method the selected ensemble is compared with on the test split.</summary>
public sealed record Baseline(string Method, IReadOnlyList<Template> Templates)
{
    public const string SingleTemplateText = "a photo of a {}.";

    public static Baseline SingleTemplate() =>
        new($"single template \"{SingleTemplateText}\"", [Template.Create(SingleTemplateText.Replace("{}", Template.Placeholder, StringComparison.Ordinal))]);

    /// <summary>A template file; without one, CLIP's ensemble for the dataset (a catalog dataset's by name or
    /// title, else a built-in file named after it, e.g. cifar10.txt), else CLIP's ImageNet ensemble.</summary>
    public static Baseline DatasetEnsemble(string? file, string dataset)
    {
        var path = file ?? BuiltIn(dataset);
        var templates = TemplateFile.Load(path);
        return new($"template ensemble ({Path.GetFileName(path)}, {templates.Count})", templates);
    }

    public static string BuiltIn(string dataset)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "templates");
        if (DatasetCatalog.TryFind(dataset) is { } entry)
            return Path.Combine(folder, entry.TemplatesFile);
        var key = new string(dataset.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
        var own = Path.Combine(folder, key + ".txt");
        return File.Exists(own) ? own : Path.Combine(folder, "imagenet.txt");
    }
}

using Glov.Catalog;
using Glov.Core.Templates;
using Glov.Reports.Model;

namespace Glov.Cli.Evaluation;

/// <summary>A method the selected ensemble is compared with on the test split. <see cref="Key"/> names it
/// stably across runs (the results table's column); <see cref="Method"/> describes it for people.</summary>
public sealed record Baseline(string Key, string Method, IReadOnlyList<Template> Templates)
{
    public const string SingleTemplateText = "a photo of a {}.";

    public const string GlovKey = TestResult.GlovKey;
    public const string SingleTemplateKey = "photo-of";
    public const string EnsembleKey = "ensemble";
    public const string RandomDescriptorsKey = "random-descriptors";
    public const string SeedKey = TestResult.SeedKey;

    public static Baseline SingleTemplate() =>
        new(SingleTemplateKey, $"single template \"{SingleTemplateText}\"", [Template.Create(SingleTemplateText.Replace("{}", Template.Placeholder, StringComparison.Ordinal))]);

    /// <summary>A template file; without one, CLIP's ensemble for the dataset (a catalog dataset's by name or
    /// title, else a built-in file named after it, e.g. cifar10.txt), else CLIP's ImageNet ensemble.</summary>
    public static Baseline DatasetEnsemble(string? file, string dataset)
    {
        var path = file ?? BuiltIn(dataset);
        var templates = TemplateFile.Load(path);
        return new(EnsembleKey, $"template ensemble ({Path.GetFileName(path)}, {templates.Count})", templates);
    }

    public static Baseline Seed(Template seed) => new(SeedKey, "seed template", [seed]);

    /// <summary>
    /// The WaffleCLIP control (Roth et al. 2023): "a photo of a {}, which has" followed by two random
    /// letter strings, as many templates as the ensemble it is compared with. Its score against the
    /// ensemble's shows how much of an ensemble's gain is averaging alone, not the words. Seeded.
    /// </summary>
    public static Baseline RandomDescriptors(int count, ulong seed)
    {
        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        string Word() => new(Enumerable.Range(0, random.Next(3, 9)).Select(_ => (char)('a' + random.Next(26))).ToArray());
        var templates = Enumerable.Range(0, count)
            .Select(_ => Template.Create($"a photo of a {Template.Placeholder}, which has {Word()} {Word()}."))
            .ToList();
        return new(RandomDescriptorsKey, $"random descriptors (WaffleCLIP-style, {count}, seed {seed})", templates);
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

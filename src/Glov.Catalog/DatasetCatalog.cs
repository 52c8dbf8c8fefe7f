using System.Reflection;
using Glov.Core;
using Glov.Data;
using Glov.Catalog.Layouts;

namespace Glov.Catalog;

/// <summary>
/// The benchmark datasets GLOV is evaluated on (design/datasets.md), plus CIFAR-10/100 and Fashion-MNIST, laid
/// out under one data root as CoOp and the authors' loaders expect. Class names are the ones the split files
/// carry (CoOp's; underscores kept in <see cref="ClassName.Raw"/>, cleaned in <see cref="ClassName.Display"/>),
/// taken from CLIP's published lists where they agree and from CoOp's renames where they do not.
/// </summary>
public static class DatasetCatalog
{
    public static readonly CatalogEntry ImageNet = new("imagenet", "ImageNet", "imagenet",
        "Photos of everyday objects, animals, plants and scenes from ImageNet, 1,000 fine-grained classes, one main object per image.",
        1000, Names("imagenet"), new ImageNetLayout(), "test", "imagenet.txt",
        "test = the official validation set (50,000 images)");

    public static readonly IReadOnlyList<CatalogEntry> All =
    [
        ImageNet,
        new("imagenetv2", "ImageNetV2", "imagenetv2",
            "A newer test set of photos collected the way ImageNet's were, over the same 1,000 object and animal classes.",
            1000, ImageNet.Classes, new ImageNetV2Layout("imagenetv2-matched-frequency-format-val"), "test", "imagenet.txt",
            "no train split: evaluate prompts found on ImageNet (transfer)"),
        new("imagenet-sketch", "ImageNet-Sketch", "imagenet-sketch",
            "Black-and-white sketches drawn of ImageNet's 1,000 classes of objects and animals.",
            1000, ImageNet.Classes, new ImageNetVariantLayout("images", 1000), "test", "imagenet.txt",
            "the authors test on a random 20% (split test); split all is the full set"),
        new("imagenet-a", "ImageNet-A", "imagenet-adversarial",
            "Natural photos that ImageNet classifiers get wrong, over 200 of ImageNet's object and animal classes.",
            200, [], new ImageNetVariantLayout("imagenet-a", 200), "test", "imagenet.txt",
            "classes: 200 ImageNet WordNet ids (folders), mapped to ImageNet indices by classnames.txt; test = random 20%, all = full set"),
        new("imagenet-r", "ImageNet-R", "imagenet-rendition",
            "Renditions (art, cartoons, paintings, sculptures, toys, video games) of 200 of ImageNet's object and animal classes.",
            200, [], new ImageNetVariantLayout("imagenet-r", 200), "test", "imagenet.txt",
            "classes: 200 ImageNet WordNet ids (folders), mapped to ImageNet indices by classnames.txt; test = random 20%, all = full set"),
        new("caltech101", "Caltech101", "caltech-101",
            "Photos of 100 kinds of everyday objects and animals, usually centred and filling the frame.",
            100, Names("caltech101-coop"), new CoOpJsonLayout("101_ObjectCategories", "split_zhou_Caltech101.json"), "test", "caltech101.txt",
            "background and Faces_easy are left out; Faces, Leopards, Motorbikes, airplanes are made singular"),
        // CLIP lists cats first; the split file's labels follow the breeds' alphabetical order.
        new("oxford-pets", "OxfordPets", "oxford_pets",
            "Photos of pet cats and dogs, 37 breeds.",
            37, Names("oxford-pets", s => s.ToLowerInvariant().Replace(' ', '_')).OrderBy(c => c.Raw, StringComparer.Ordinal).ToList(), new CoOpJsonLayout("images", "split_zhou_OxfordPets.json", flat: true), "test", "oxford-pets.txt", ""),
        new("stanford-cars", "StanfordCars", "stanford_cars",
            "Photos of cars, 196 classes of make, model and year.",
            196, Names("stanford-cars", YearFirst), new CoOpJsonLayout("", "split_zhou_StanfordCars.json", flat: true), "test", "stanford-cars.txt",
            "split paths are relative to the dataset folder"),
        new("flowers102", "Flowers102", "oxford_flowers",
            "Close-up photos of flowers, 102 species common in the United Kingdom.",
            102, Names("flowers102"), new CoOpJsonLayout("jpg", "split_zhou_OxfordFlowers.json", flat: true), "test", "flowers102.txt", ""),
        new("food101", "Food101", "food-101",
            "Photos of dishes, 101 kinds of food.",
            101, Names("food101", Underscored), new CoOpJsonLayout("images", "split_zhou_Food101.json"), "test", "food101.txt", ""),
        new("fgvc-aircraft", "FGVCAircraft", "fgvc_aircraft",
            "Photos of aircraft, 100 model variants that often differ only in small details.",
            100, Names("fgvc-aircraft"), new FgvcVariantsLayout(), "test", "fgvc-aircraft.txt", ""),
        new("sun397", "SUN397", "sun397",
            "Photos of places and scenes, indoor and outdoor, 397 scene categories.",
            397, Names("sun397"), new CoOpJsonLayout("SUN397", "split_zhou_SUN397.json"), "test", "sun397.txt", ""),
        new("dtd", "DescribableTextures", "dtd",
            "Close-up images of surface textures, 47 kinds described by adjectives such as striped or bumpy.",
            47, Names("dtd"), new CoOpJsonLayout("images", "split_zhou_DescribableTextures.json"), "test", "dtd.txt", ""),
        new("eurosat", "EuroSAT", "eurosat",
            "Satellite images of land in Europe, 10 kinds of land use and land cover.",
            10, Names("eurosat-coop"), new CoOpJsonLayout("2750", "split_zhou_EuroSAT.json"), "test", "eurosat.txt",
            "CoOp's renamed classes (\"Annual Crop Land\", \"Sea or Lake\", …)"),
        new("ucf101", "UCF101", "ucf101",
            "Middle frames of video clips of people doing 101 kinds of action.",
            101, Names("ucf101", Underscored), new CoOpJsonLayout("UCF-101-midframes", "split_zhou_UCF101.json"), "test", "ucf101.txt", ""),
        new("resisc45", "RESISC45", "resisc45",
            "Aerial images of the ground, 45 kinds of scene such as airports, farmland and harbours.",
            45, Names("resisc45", Underscored), new CoOpJsonLayout("NWPU-RESISC45", "resisc45_split.json"), "test", "resisc45.txt",
            "the authors' own 60/40 train/test split file"),
        new("cifar10", "CIFAR-10", "cifar10",
            "Small 32x32 colour photos of ten everyday classes of vehicles and animals.",
            10, Names("cifar10"), new SplitFoldersLayout(), "test", "cifar10.txt", ""),
        new("cifar100", "CIFAR-100", "cifar100",
            "Small 32x32 colour photos of 100 classes of objects, animals, plants and scenes.",
            100, Names("cifar100", Underscored), new SplitFoldersLayout(), "test", "cifar100.txt", ""),
        new("fashion-mnist", "Fashion-MNIST", "fashion-mnist",
            "Small 28x28 grayscale photos of clothing articles, ten classes.",
            10, IdxDataset.FashionClasses.Select(n => new ClassName(n, n)).ToList(), new IdxLayout(), "test", "imagenet.txt",
            "IDX files as Debian's dataset-fashion-mnist installs them; no CLIP ensemble (ImageNet's is used)"),
    ];

    /// <summary>The entry for a name, matched ignoring case, '-' and '_' (OxfordPets, oxford_pets, oxford-pets).</summary>
    public static CatalogEntry Find(string name) =>
        TryFind(name) ?? throw new GlovUserException($"unknown dataset '{name}' (known: {string.Join(", ", All.Select(e => e.Name))})");

    public static CatalogEntry? TryFind(string name) =>
        All.FirstOrDefault(e => Key(e.Name) == Key(name) || Key(e.Title) == Key(name) || Key(e.Folder) == Key(name));

    private static string Key(string name) => new(name.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());

    private static string Underscored(string name) => name.Replace(' ', '_');

    /// <summary>CLIP writes "AM General Hummer SUV 2000"; CoOp's Stanford Cars split moves the year first.</summary>
    private static string YearFirst(string name)
    {
        var space = name.LastIndexOf(' ');
        return space > 0 && name[(space + 1)..].All(char.IsAsciiDigit) ? $"{name[(space + 1)..]} {name[..space]}" : name;
    }

    /// <summary>A class list shipped with the catalog (data/classnames), raw names made from it by <paramref name="raw"/>.</summary>
    private static List<ClassName> Names(string resource, Func<string, string>? raw = null)
    {
        using var stream = typeof(DatasetCatalog).Assembly.GetManifestResourceStream($"classnames/{resource}.txt")
            ?? throw new InvalidOperationException($"class list {resource} is not embedded");
        using var reader = new StreamReader(stream);
        var names = new List<ClassName>();
        while (reader.ReadLine() is { } line)
        {
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
                continue;
            var rawName = raw?.Invoke(text) ?? text;
            names.Add(new ClassName(rawName, ClassNames.Clean(rawName)));
        }
        return names;
    }
}

using System.Diagnostics;
using Glov.Core.Templates;
using Glov.Data;
using Glov.Vision.Classification;
using Glov.Vision.Features;
using Glov.Vision.Fixtures;
using Glov.Vision.Model;
using Glov.Vision.Tokenization;

// Benchmarks of the dual-encoder scorer on a ViT-B/32-size random-weight model (timings depend on the
// machine; the ratios measured in one run are what to compare).
//   dotnet run -c Release --project bench/Glov.Bench.Vision -- [--model DIR] [--bpe FILE] [--classes 1000] [--images 256]
var options = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--")).ToDictionary(p => p.a, p => p.i + 1 < args.Length ? args[p.i + 1] : "");
var shared = Environment.GetEnvironmentVariable("GLOV_SHARED") is { Length: > 0 } env ? env : Path.Combine("..", "shared");
var bpe = options.GetValueOrDefault("--bpe") ?? Path.Combine(shared, "models", "clip-bpe", "bpe_simple_vocab_16e6.txt.gz");
var classCount = int.Parse(options.GetValueOrDefault("--classes") ?? "1000");
var imageCount = int.Parse(options.GetValueOrDefault("--images") ?? "256");
var folder = options.GetValueOrDefault("--model");
if (folder is null)
{
    folder = Path.Combine(Path.GetTempPath(), "glov-bench-vit-b-32");
    if (!File.Exists(Path.Combine(folder, "onnx", "vision_model.onnx")))
    {
        var generate = Stopwatch.StartNew();
        ClipFixtureGenerator.Write(folder, new ClipFixtureOptions(bpe, FixtureSize.VitB32));
        Console.WriteLine($"generated ViT-B/32-size random-weight model in {generate.Elapsed.TotalSeconds:F1} s: {folder}");
    }
}
using var model = ClipModel.Open(folder);
Console.WriteLine($"model {folder}: text input {model.Text.InputIds} (dynamic sequence: {model.DynamicSequence}), {Environment.ProcessorCount} cores");

// Class names of one to three vocabulary words, so filled templates vary in length as real ones do.
var words = ClipVocabulary.FromOriginalMerges(bpe).Tokens.Keys
    .Where(t => t.EndsWith("</w>", StringComparison.Ordinal) && t.Length >= 7 && t[..^4].All(char.IsAsciiLetterLower))
    .Select(t => t[..^4]).Order(StringComparer.Ordinal).ToList();
var classes = Enumerable.Range(0, classCount).Select(i => string.Join(' ', Enumerable.Range(0, 1 + i % 3).Select(j => words[(i * 7919 + j * 104729) % words.Count]))).ToList();
var template = Template.Create("a photo of a <category>.");
var texts = classes.Select(template.Fill).ToList();
var lengths = texts.Select(t => model.Tokenizer.Encode(t).Count).ToList();
Console.WriteLine($"{texts.Count} template × class texts, tokens per text {lengths.Min()}–{lengths.Max()} (mean {lengths.Average():F1})");

double Rate(bool trim)
{
    model.EncodeTexts(texts.Take(64).ToList(), trimToLongest: trim);
    var watch = Stopwatch.StartNew();
    model.EncodeTexts(texts, batchSize: 64, trimToLongest: trim);
    return texts.Count / watch.Elapsed.TotalSeconds;
}
var trimmed = Rate(trim: true);
var padded = Rate(trim: false);
Console.WriteLine($"text features/s: padded to 77 {padded:F1}, trimmed to each batch's longest {trimmed:F1}, ratio {trimmed / padded:F2}x");

// Scoring one new candidate: its 1,000 texts are new to the cache; image features are cached.
var random = new Random(1);
var cachedImages = new EncodedImages(
    Enumerable.Range(0, classCount).Select(i => (LabelledImage)new ImageFile($"img{i}", i, "")).ToList(),
    Enumerable.Range(0, classCount).Select(_ => Vectors.Normalized(Enumerable.Range(0, 512).Select(_ => (float)random.NextDouble() - 0.5f).ToArray())).ToList(),
    []);
var classifier = new ZeroShotClassifier(new TextFeatureCache(model));
var candidate = Template.Create("a blurry close-up photo of the <category>, seen from above.");
var score = Stopwatch.StartNew();
var result = classifier.Evaluate([candidate], cachedImages, classes);
Console.WriteLine($"score one candidate over {classCount} classes ({classCount} cached image features): {score.Elapsed.TotalSeconds:F2} s (accuracy {result.Accuracy:F1}%, random weights)");

// Image encoding: decode, preprocess (224×224 bicubic from 32×32 CIFAR-10) and encode with the vision tower.
var cifar = Path.Combine(shared, "datasets", "cifar10");
if (Directory.Exists(cifar))
{
    var dataset = Datasets.Open(cifar, "test");
    var subset = dataset.WithItems(dataset.Items.Take(imageCount).ToList());
    new ImageFeatureCache(model).Encode(subset.WithItems(subset.Items.Take(32).ToList()));
    var images = Stopwatch.StartNew();
    new ImageFeatureCache(model, batchSize: 32).Encode(subset);
    Console.WriteLine($"image encoding (decode + preprocess + ViT-B/32 vision tower): {imageCount / images.Elapsed.TotalSeconds:F1} images/s over {imageCount} CIFAR-10 images");
}

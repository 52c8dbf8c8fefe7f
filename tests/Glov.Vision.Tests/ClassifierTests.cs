using Glov.Core.Templates;
using Glov.Data;
using Glov.Vision.Classification;
using Glov.Vision.Features;
using Glov.Vision.Model;
using Glov.Vision.Tests.Data;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

namespace Glov.Vision.Tests;

public class ClassifierTests
{
    private static readonly string[] Classes = ["cat", "sea_lion", "fire truck"];

    private static readonly Template Photo = Template.Create("a photo of a <category>.");
    private static readonly Template Drawing = Template.Create("a drawing of the <category>, in pencil.");

    /// <summary>An ImageFolder of 12 small PNGs in three classes, different colours and patterns.</summary>
    private static readonly Lazy<string> Folder = new(() =>
    {
        var root = Assets.NewScratchFolder("toy-images");
        for (var i = 0; i < 12; i++)
        {
            var path = Path.Combine(root, "test", Classes[i % 3], $"{i:00}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var bitmap = new SKBitmap(40, 48);
            for (var y = 0; y < 48; y++)
                for (var x = 0; x < 40; x++)
                    bitmap.SetPixel(x, y, new SKColor((byte)(x * 6 + i * 20), (byte)(y * 5 * (i % 3)), (byte)((x ^ y) * 4 + i)));
            using var file = File.Create(path);
            bitmap.Encode(file, SKEncodedImageFormat.Png, 100);
        }
        return root;
    });

    internal static ImageDataset Dataset() => ImageFolder.Load(Folder.Value, "test");

    /// <summary>Reference: features straight from ONNX Runtime (every text padded to 77), class weights,
    /// cosines and arg-max computed here in double precision.</summary>
    [Fact]
    public void Ensemble_accuracy_and_hits_match_an_independent_computation()
    {
        using var model = ClipModel.Open(Assets.TinyModel);
        var dataset = Dataset();
        var classifier = new ZeroShotClassifier(new TextFeatureCache(model));
        var images = new ImageFeatureCache(model).Encode(dataset);
        var result = classifier.Evaluate([Photo, Drawing], images, dataset.ClassNames);

        using var textSession = new InferenceSession(Path.Combine(Assets.TinyModel, "onnx", "text_model.onnx"));
        using var visionSession = new InferenceSession(Path.Combine(Assets.TinyModel, "onnx", "vision_model.onnx"));
        var weights = dataset.ClassNames.Select(name =>
            Unit(Sum(new[] { Photo, Drawing }.Select(t => Unit(TextFeature(textSession, model, t.Fill(name)))).ToList()))).ToList();
        var expected = new List<int>();
        foreach (var item in dataset.Items)
        {
            using var bitmap = item.Decode().Bitmap!;
            var image = Unit(ImageFeature(visionSession, model.Preprocessor.ToTensor(bitmap)));
            var scores = weights.Select(w => w.Zip(image, (a, b) => a * b).Sum()).ToList();
            expected.Add(scores.IndexOf(scores.Max()));
        }
        var labels = dataset.Items.Select(i => i.Label).ToList();
        Assert.Equal(expected, result.Predictions);
        Assert.Equal(100.0 * expected.Zip(labels).Count(p => p.First == p.Second) / labels.Count, result.Accuracy, 9);
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(4, result.PerClass[c].Total);
            Assert.Equal(Enumerable.Range(0, labels.Count).Count(i => labels[i] == c && expected[i] == c), result.PerClass[c].Correct);
        }
        Assert.Equal(["cat", "fire truck", "sea lion"], result.PerClass.Select(h => h.ClassName));
        Assert.Equal(0, result.Skipped);
    }

    [Fact]
    public async Task Fitness_scores_templates_and_ensembles_as_the_classifier_does()
    {
        using var model = ClipModel.Open(Assets.TinyModel);
        var dataset = Dataset();
        var texts = new TextFeatureCache(model);
        var fitness = new ClipFitness(model, dataset, texts, new ImageFeatureCache(model));
        var scores = await fitness.ScoreAsync([Photo, Drawing]);
        var classifier = new ZeroShotClassifier(texts);
        Assert.Equal(classifier.Evaluate([Photo], fitness.Images, dataset.ClassNames).Accuracy, scores[0].Score);
        Assert.Equal(classifier.Evaluate([Drawing], fitness.Images, dataset.ClassNames).Accuracy, scores[1].Score);
        var ensemble = await fitness.ScoreEnsembleAsync([Photo, Drawing]);
        Assert.Equal(classifier.Evaluate([Photo, Drawing], fitness.Images, dataset.ClassNames).PerClass, ensemble.PerClass);
        Assert.Equal("Accuracy", fitness.MetricName);
        // 3 classes × 2 templates, each encoded once although scored three times.
        Assert.Equal(6, texts.Encoded);
    }

    [Fact]
    public void Templates_too_long_for_the_context_are_not_admitted()
    {
        using var model = ClipModel.Open(Assets.TinyModel);
        var fitness = new ClipFitness(model, Dataset(), new TextFeatureCache(model), new ImageFeatureCache(model));
        Assert.Null(fitness.Admit(Photo));
        // 73 words + "fire truck" = 75 tokens plus start and end: 77 fits; one more word does not.
        var fits = Template.Create(string.Concat(Enumerable.Repeat("a ", 73)) + "<category>");
        Assert.Null(fitness.Admit(fits));
        var tooLong = Template.Create(string.Concat(Enumerable.Repeat("a ", 74)) + "<category>");
        Assert.Equal("longer than the text encoder's 77-token context (78 tokens with \"fire truck\")", fitness.Admit(tooLong));
    }

    [Fact]
    public void Features_are_cached_on_disk_per_model_and_reused()
    {
        var cache = Assets.NewScratchFolder("cache");
        using var model = ClipModel.Open(Assets.TinyModel);
        var dataset = Dataset();
        var progress = new List<EncodingProgress>();
        var first = new ImageFeatureCache(model, cache, batchSize: 5).Encode(dataset, new SynchronousProgress(progress.Add));
        Assert.Equal(new EncodingProgress(12, 12), progress[^1]);
        Assert.Equal(4, progress.Count);

        var images = new ImageFeatureCache(model, cache);
        var second = images.Encode(dataset);
        Assert.Equal(0, images.Encoded);
        ModelTests.AssertClose(first.Features, second.Features, 0f);

        var texts = new TextFeatureCache(model, cache);
        var encoded = texts.Get(["a photo of a cat.", "a photo of a dog."]);
        Assert.Equal(2, texts.Encoded);
        var reread = new TextFeatureCache(model, cache);
        ModelTests.AssertClose(encoded, reread.Get(["a photo of a dog.", "a photo of a cat."]).Reverse().ToList(), 0f);
        Assert.Equal(0, reread.Encoded);
        Assert.True(File.Exists(Path.Combine(cache, "image-features", model.ModelFingerprint + ".features")));
    }

    [Fact]
    public void Corrupt_images_are_skipped_with_a_warning_and_counted()
    {
        var root = Assets.NewScratchFolder("corrupt");
        DatasetFormatTests.WritePng(Path.Combine(root, "cat", "good.png"), SKColors.Orange);
        var cifar = Path.Combine(Assets.Cifar10, "test", "dog", "0000.jpg");
        Directory.CreateDirectory(Path.Combine(root, "dog"));
        File.Copy(cifar, Path.Combine(root, "dog", "good.jpg"));
        var truncated = Path.Combine(root, "dog", "truncated.jpg");
        File.WriteAllBytes(truncated, File.ReadAllBytes(cifar)[..200]);
        var garbage = Path.Combine(root, "cat", "garbage.jpg");
        File.WriteAllText(garbage, "not a jpeg at all");

        using var model = ClipModel.Open(Assets.TinyModel);
        var dataset = ImageFolder.Load(root, "test");
        var warnings = new List<string>();
        var images = new ImageFeatureCache(model).Encode(dataset, warn: warnings.Add);
        Assert.Equal(2, images.Items.Count);
        Assert.Equal([Path.Combine("cat", "garbage.jpg"), Path.Combine("dog", "truncated.jpg")], images.Skipped.Select(s => s.Id));
        Assert.Contains(warnings, w => w.StartsWith($"skipped {garbage}: ", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith($"skipped {truncated}: ", StringComparison.Ordinal));
        var result = new ZeroShotClassifier(new TextFeatureCache(model)).Evaluate([Photo], images, dataset.ClassNames);
        Assert.Equal(2, result.Skipped);
        Assert.Equal(2, result.PerClass.Sum(h => h.Total));
    }

    private static float[] TextFeature(InferenceSession session, ClipModel model, string text)
    {
        var ids = new long[77];
        var mask = new long[77];
        Array.Fill(ids, 49407L);
        var tokens = model.Tokenizer.Encode(text);
        for (var i = 0; i < tokens.Count; i++)
        {
            ids[i] = tokens[i];
            mask[i] = 1;
        }
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, 77]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [1, 77]);
        using var options = new RunOptions();
        using var outputs = session.Run(options, ["input_ids", "attention_mask"], [idsValue, maskValue], ["text_embeds"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static float[] ImageFeature(InferenceSession session, float[] pixels)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, 32, 32]);
        using var options = new RunOptions();
        using var outputs = session.Run(options, ["pixel_values"], [value], ["image_embeds"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static double[] Unit(IEnumerable<float> v) => Unit(v.Select(x => (double)x).ToArray());

    private static double[] Unit(double[] v)
    {
        var norm = Math.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static double[] Sum(IReadOnlyList<double[]> rows) =>
        Enumerable.Range(0, rows[0].Length).Select(i => rows.Sum(r => r[i])).ToArray();

    private sealed class SynchronousProgress(Action<EncodingProgress> report) : IProgress<EncodingProgress>
    {
        public void Report(EncodingProgress value) => report(value);
    }
}

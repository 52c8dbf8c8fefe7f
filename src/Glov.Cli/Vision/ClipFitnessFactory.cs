using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Cli.Engines;
using Glov.Data;
using Glov.Vision.Classification;
using Glov.Vision.Features;
using Glov.Vision.Model;

namespace Glov.Cli.Vision;

/// <summary>
/// <c>fitness: {kind: clip, model: DIR, dataset: PATH, split: train, cache_dir: DIR, text_batch: 64, image_batch: 32}</c>:
/// zero-shot accuracy of a CLIP-family ONNX export on <c>task.shots</c> images per class of the split,
/// sampled with the run seed; the picks are saved in the cache folder and reused. When <c>glov evaluate</c>
/// builds it for the test split (<see cref="CompositionContext.Split"/>), it scores the whole test split, or
/// <see cref="CompositionContext.Limit"/> images of it (the same number per class, seeded).
/// </summary>
public sealed class ClipFitnessFactory : IFitnessFactory
{
    public string Kind => "clip";

    public Func<CancellationToken, Task<FitnessBinding>> Configure(ConfigSection section, CompositionContext context)
    {
        var modelPath = section.GetPath("model", context.BaseDirectory, mustExist: true) ?? throw section.Error("model", "missing (required): a CLIP-family ONNX export folder");
        var datasetPath = section.GetPath("dataset", context.BaseDirectory, mustExist: true) ?? throw section.Error("dataset", "missing (required): an image folder, IDX folder or CoOp split .json");
        var split = section.GetString("split", "train")!;
        var cacheDir = section.GetFolder("cache_dir", context.BaseDirectory) ?? Path.Combine(context.BaseDirectory, ".glov", "cache");
        var textBatch = section.GetInt("text_batch", 64, min: 1);
        var imageBatch = section.GetInt("image_batch", 32, min: 1);
        var maxPixels = section.GetInt("max_image_pixels", (int)ImageDecoding.DefaultMaxPixels, min: 1);
        // Where features are cached and how they are batched do not change scores (beyond float rounding).
        section.NotIdentity("cache_dir");
        section.NotIdentity("text_batch");
        section.NotIdentity("image_batch");
        var seed = unchecked((int)(context.Seed % int.MaxValue));
        return cancellationToken => Task.Run(() =>
        {
            var model = ClipModel.Open(modelPath);
            var evaluating = context.Split == CompositionContext.TestSplit;
            var dataset = Datasets.Open(datasetPath, evaluating ? CompositionContext.TestSplit : split, warning => Console.Error.WriteLine($"glov: warning: {warning}"));
            var scored = evaluating
                ? context.Limit is { } limit && limit < dataset.Items.Count ? FewShot.Sample(dataset, Math.Max(1, limit / dataset.ClassNames.Count), seed) : dataset
                : FewShot.Sample(dataset, context.Shots, seed, Path.Combine(cacheDir, "few-shot", $"{dataset.Key}-{split}-{context.Shots}shot-seed{seed}.json"));
            var fitness = new ClipFitness(model, scored, new TextFeatureCache(model, cacheDir, textBatch), new ImageFeatureCache(model, cacheDir, imageBatch) { MaxPixels = maxPixels },
                VlmCommands.Progress(Console.Error), warning => Console.Error.WriteLine($"glov: warning: {warning}"));
            // Encode the few-shot images now, with progress, rather than inside the first scoring step.
            _ = fitness.Images;
            return new FitnessBinding(new OwningFitness(fitness, model), dataset.ClassNames, $"CLIP-family dual encoder ({Path.GetFileName(modelPath.TrimEnd(Path.DirectorySeparatorChar))})")
            {
                // IDX datasets hold their images in one file.
                Inputs = [.. model.Files, .. scored.Items.OfType<ImageFile>().Select(i => i.Path).DefaultIfEmpty(datasetPath).Where(File.Exists)],
            };
        }, cancellationToken);
    }
}

using System.Globalization;
using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Data;
using Glov.Vision.Classification;
using Glov.Vision.Features;
using Glov.Vision.Model;

namespace Glov.Cli.Engines;

/// <summary>
/// <c>fitness: {kind: clip, model: path/to/clip-onnx, dataset: path/to/dataset}</c> — zero-shot accuracy of a
/// CLIP-family dual encoder (Hugging Face / transformers.js ONNX export layout) on the few-shot train set
/// (<c>task.shots</c> images per class, seeded), or on the test split when <c>glov evaluate</c> asks.
/// Keys: model, dataset (required); tokenizer (when the model folder lacks one); cache (feature cache
/// folder, default .glov/cache beside the config). Image and text features are cached on disk per model.
/// </summary>
public sealed class ClipFitnessFactory : IFitnessFactory
{
    public string Kind => "clip";

    public Func<CancellationToken, Task<FitnessBinding>> Configure(ConfigSection section, CompositionContext context)
    {
        var modelPath = section.GetPath("model", context.BaseDirectory, mustExist: true) ?? throw section.Error("model", "missing (required): a CLIP ONNX export folder");
        var datasetPath = section.GetPath("dataset", context.BaseDirectory, mustExist: true) ?? throw section.Error("dataset", "missing (required): an image folder, IDX folder or CoOp split");
        var tokenizer = section.GetPath("tokenizer", context.BaseDirectory, mustExist: true);
        var cache = section.GetPath("cache", context.BaseDirectory, mustExist: false) ?? Path.GetFullPath(Path.Combine(".glov", "cache"), context.BaseDirectory);
        var seed = unchecked((int)context.Seed);
        return _ => Task.Run(() =>
        {
            var model = ClipModel.Open(modelPath, tokenizer);
            try
            {
                var dataset = Split(Datasets.Open(datasetPath, context.Split), context, seed, cache);
                var fitness = new ClipFitness(model, dataset, new TextFeatureCache(model, cache), new ImageFeatureCache(model, cache),
                    warn: message => Console.Error.WriteLine($"warning: {message}"));
                return new FitnessBinding(new OwningFitness(fitness, model), dataset.ClassNames, $"CLIP ({Path.GetFileName(modelPath.TrimEnd('/'))})");
            }
            catch
            {
                model.Dispose();
                throw;
            }
        });
    }

    /// <summary>The few-shot train set with its picks recorded, or the (optionally class-balanced, seeded) test subset.</summary>
    private static ImageDataset Split(ImageDataset dataset, CompositionContext context, int seed, string cache)
    {
        if (context.Split == CompositionContext.TrainSplit)
        {
            var picks = Path.Combine(cache, "picks", string.Create(CultureInfo.InvariantCulture, $"{dataset.Key}-{dataset.Split}-{context.Shots}shot-seed{seed}.json"));
            return FewShot.Sample(dataset, context.Shots, seed, picks);
        }
        if (context.Limit is not { } limit || limit >= dataset.Items.Count)
            return dataset;
        return FewShot.Sample(dataset, Math.Max(1, limit / dataset.ClassNames.Count), seed);
    }
}

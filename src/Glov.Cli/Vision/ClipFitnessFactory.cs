using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Data;
using Glov.Vision.Classification;
using Glov.Vision.Features;
using Glov.Vision.Model;

namespace Glov.Cli.Vision;

/// <summary>
/// <c>fitness: {kind: clip, model: DIR, dataset: PATH, split: train, cache_dir: DIR, text_batch: 64, image_batch: 32}</c>:
/// zero-shot accuracy of a CLIP-family ONNX export on <c>task.shots</c> images per class of the split,
/// sampled with the run seed; the picks are saved in the cache folder and reused.
/// </summary>
public sealed class ClipFitnessFactory : IFitnessFactory
{
    public string Kind => "clip";

    public Func<CancellationToken, Task<FitnessBinding>> Configure(ConfigSection section, CompositionContext context)
    {
        var modelPath = section.GetPath("model", context.BaseDirectory, mustExist: true) ?? throw section.Error("model", "missing (required): a CLIP-family ONNX export folder");
        var datasetPath = section.GetPath("dataset", context.BaseDirectory, mustExist: true) ?? throw section.Error("dataset", "missing (required): an image folder, IDX folder or CoOp split .json");
        var split = section.GetString("split", "train")!;
        var cacheDir = section.GetPath("cache_dir", context.BaseDirectory, mustExist: false) ?? Path.Combine(context.BaseDirectory, ".glov", "cache");
        var textBatch = section.GetInt("text_batch", 64, min: 1);
        var imageBatch = section.GetInt("image_batch", 32, min: 1);
        var seed = unchecked((int)(context.Seed % int.MaxValue));
        return cancellationToken => Task.Run(() =>
        {
            var model = ClipModel.Open(modelPath);
            var dataset = Datasets.Open(datasetPath, split);
            var picks = Path.Combine(cacheDir, "few-shot", $"{dataset.Key}-{split}-{context.Shots}shot-seed{seed}.json");
            var fewShot = FewShot.Sample(dataset, context.Shots, seed, picks);
            var fitness = new ClipFitness(model, fewShot, new TextFeatureCache(model, cacheDir, textBatch), new ImageFeatureCache(model, cacheDir, imageBatch),
                VlmCommands.Progress(Console.Error), warning => Console.Error.WriteLine($"glov: warning: {warning}"));
            // Encode the few-shot images now, with progress, rather than inside the first scoring step.
            _ = fitness.Images;
            return new FitnessBinding(fitness, dataset.ClassNames, $"CLIP-family dual encoder ({Path.GetFileName(modelPath.TrimEnd(Path.DirectorySeparatorChar))})");
        }, cancellationToken);
    }
}

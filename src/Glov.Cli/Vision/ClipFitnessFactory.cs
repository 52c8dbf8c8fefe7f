using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Cli.Engines;
using Glov.Core.Devices;
using Glov.Core.Optimization;
using Glov.Data;
using Glov.Vision.Classification;
using Glov.Vision.Features;
using Glov.Onnx;
using Glov.Vision.Model;

namespace Glov.Cli.Vision;

/// <summary>
/// <c>fitness: {kind: clip, model: DIR, dataset: PATH, split: train, cache_dir: DIR, device: auto, text_batch, image_batch}</c>:
/// zero-shot accuracy of a CLIP-family ONNX export on <c>task.shots</c> images per class of the split,
/// sampled with the run seed; the picks are saved in the cache folder and reused. When <c>glov evaluate</c>
/// builds it for the test split (<see cref="CompositionContext.Split"/>), it scores the whole test split, or
/// <see cref="CompositionContext.Limit"/> images of it (the same number per class, seeded). Batches default to
/// 64 texts / 32 images on the CPU and 256 / 128 on a GPU.
/// </summary>
public sealed class ClipFitnessFactory : IFitnessFactory
{
    public string Kind => "clip";

    public FitnessPlan Configure(ConfigSection section, CompositionContext context)
    {
        var modelPath = section.GetPath("model", context.BaseDirectory, mustExist: true) ?? throw section.Error("model", "missing (required): a CLIP-family ONNX export folder");
        var source = DatasetSource.Read(section, context, "an image folder, IDX folder or CoOp split .json");
        var split = section.GetString("split", "train")!;
        var cacheDir = section.GetFolder("cache_dir", context.BaseDirectory) ?? Path.Combine(context.BaseDirectory, ".glov", "cache");
        var textBatch = section.GetOptionalInt("text_batch", min: 1);
        var imageBatch = section.GetOptionalInt("image_batch", min: 1);
        var maxPixels = section.GetInt("max_image_pixels", (int)ImageDecoding.DefaultMaxPixels, min: 1);
        var (device, where) = section.GetDevice("device", DeviceSetting.Auto);
        // Where features are cached, how they are batched and where they are computed do not change scores (beyond float rounding).
        section.NotIdentity("cache_dir");
        section.NotIdentity("text_batch");
        section.NotIdentity("image_batch");
        section.NotIdentity("device");
        var seed = unchecked((int)(context.Seed % int.MaxValue));
        var create = (IProgress<WorkProgress>? progress, CancellationToken cancellationToken) => Task.Run(() =>
        {
            var choice = OnnxDevices.Resolve("scorer", where, device);
            var model = ClipModel.Open(modelPath, device: choice);
            var evaluating = context.Split == CompositionContext.TestSplit;
            var dataset = source.Open(evaluating ? CompositionContext.TestSplit : split);
            var scored = evaluating
                ? context.Limit is { } limit && limit < dataset.Items.Count ? FewShot.Sample(dataset, Math.Max(1, limit / dataset.ClassNames.Count), seed) : dataset
                : FewShot.Sample(dataset, context.Shots, seed, Path.Combine(cacheDir, "few-shot", $"{dataset.Key}-{split}-{context.Shots}shot-seed{seed}.json"));
            var fitness = new ClipFitness(model, scored, new TextFeatureCache(model, cacheDir, textBatch ?? (choice.OnGpu ? 256 : 64)),
                new ImageFeatureCache(model, cacheDir, imageBatch ?? (choice.OnGpu ? 128 : 32)) { MaxPixels = maxPixels },
                ImagesEncoded(progress, evaluating ? "test images" : "few-shot images"), warning => Console.Error.WriteLine($"glov: warning: {warning}"));
            // Encode the few-shot images now, with progress, rather than inside the first scoring step.
            _ = fitness.Images;
            return new FitnessBinding(new OwningFitness(fitness, model), dataset.ClassNames, $"CLIP-family dual encoder ({Path.GetFileName(modelPath.TrimEnd(Path.DirectorySeparatorChar))})")
            {
                Devices = [choice],
                Inputs = [.. model.Files, .. scored.Items.SelectMany(i => i.SourceFiles).Distinct()],
            };
        }, cancellationToken);
        // The same few-shot draw as the run's (the picks file, when there is one, records that draw), not written.
        return new FitnessPlan(create, cancellationToken => Task.Run(() =>
        {
            var dataset = source.Open(split);
            var costs = Budget.ClipCosts.Read(modelPath, Budget.NominalRates.Cpu);
            var images = FewShot.Sample(dataset, context.Shots, seed).Items.Count;
            return new Budget.FitnessWork(dataset.ClassNames, images, "train images", costs.PerImage, dataset.ClassNames.Count, "text encodings", costs.PerText);
        }, cancellationToken));
    }

    private static SynchronousProgress<EncodingProgress>? ImagesEncoded(IProgress<WorkProgress>? progress, string subject) =>
        progress is null ? null : new(p => progress.Report(new WorkProgress(WorkStage.Load, p.Done, p.Total, WorkUnit.Images) { Subject = subject }));
}

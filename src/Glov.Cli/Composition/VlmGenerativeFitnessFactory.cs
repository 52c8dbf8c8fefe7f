using Glov.Cli.Config;
using Glov.Core.Optimization;
using Glov.Core.Templates;
using Glov.Data;
using Glov.Generative.Classification;
using Glov.Generative.Matching;
using Glov.Onnx;

namespace Glov.Cli.Composition;

/// <summary>
/// <c>fitness: {kind: vlm-generative, model: llava.gguf, projector: mmproj.gguf, dataset: datasets/cifar10}</c> —
/// a LLaVA-style VLM answers the optimised question about each few-shot image (or, for
/// <c>glov evaluate</c>, each test image), asked as the authors asked it (question_mark: true appends "?"
/// when the prompt lacks one); answers are matched to classes (matcher: embedding, as published: the
/// nearest sentence embedding; mention_first: a whole-word mention first). Keys beyond the VLM's
/// (<see cref="VlmAnswererSection"/>): dataset (an image folder or CoOp split), picks (file recording
/// the few-shot picks), synonyms (list of "class: other name, …"), encoder (any sentence-transformers
/// ONNX export folder, e.g. the authors' all-mpnet-base-v2; default: the bundled all-MiniLM-L6-v2).
/// </summary>
public sealed class VlmGenerativeFitnessFactory : IFitnessFactory
{
    public string Kind => "vlm-generative";

    public PromptKind DefaultPromptKind => PromptKind.FreeText;

    public FitnessPlan Configure(ConfigSection section, CompositionContext context)
    {
        var vlm = VlmAnswererSection.Read(section, context, Kind, PromptKind.FreeText);
        var source = DatasetSource.Read(section, context, "an image folder or CoOp split");
        var data = source.Label;
        var picks = section.GetPath("picks", context.BaseDirectory, mustExist: false);
        var synonyms = ParseSynonyms(section, section.GetStringList("synonyms", [])!);
        var encoderFolder = section.GetPath("encoder", context.BaseDirectory, mustExist: true);
        var rule = section.GetEnum("matcher", MatchRule.Embedding);
        var questionMark = section.GetBool("question_mark", true);
        var create = (IProgress<WorkProgress>? _, CancellationToken _) => Task.Run(() =>
        {
            var dataset = Subset(source.Open(context.Split), context, picks);
            var images = dataset.Items.Select(i => i is ImageFile f
                ? new FewShotImage(f.Path, f.Label)
                : throw section.Error("dataset", $"{data} holds in-memory images (IDX); the generative VLM reads image files")).ToArray();
            var unknown = synonyms.Keys.FirstOrDefault(k => !dataset.ClassNames.Contains(k, StringComparer.Ordinal));
            if (unknown is not null)
                throw section.Error("synonyms", $"'{unknown}' is not a class of {data} (classes: {string.Join(", ", dataset.ClassNames)})");
            var classes = dataset.ClassNames.Select(n => new ClassLabel(n, synonyms.GetValueOrDefault(n, []))).ToArray();
            var encoderDevice = OnnxDevices.Resolve("sentence encoder", vlm.DeviceWhere, vlm.Device);
            var encoder = encoderFolder is null ? OnnxSentenceEncoder.MiniLm(encoderDevice) : OnnxSentenceEncoder.FromFolder(encoderFolder, encoderDevice);
            var (answerer, device) = vlm.Create();
            var fitness = new GenerativeClassificationFitness(answerer, new ClassMatcher(classes, encoder, rule), images, ownsAnswerer: true, questionMark);
            return new FitnessBinding(fitness, dataset.ClassNames, vlm.Name) { Devices = [device, encoderDevice], Inputs = [.. vlm.Files, .. images.Select(i => i.Path)] };
        });
        // The run's few-shot draw, without recording the picks.
        return new FitnessPlan(create, ct => Task.Run(() =>
        {
            var dataset = Subset(source.Open(context.Split), context, picks: null);
            var costs = vlm.Costs();
            return new Budget.FitnessWork(dataset.ClassNames, dataset.Items.Count, "train images", costs.PerImage, dataset.Items.Count, "VLM answers", costs.PerAnswer);
        }, ct));
    }

    /// <summary>The seeded few-shot train set (picks recorded when asked), or the test split, optionally a
    /// seeded class-balanced subset of <see cref="CompositionContext.Limit"/> images.</summary>
    private static ImageDataset Subset(ImageDataset dataset, CompositionContext context, string? picks)
    {
        var seed = unchecked((int)context.Seed);
        if (context.Split == CompositionContext.TrainSplit)
            return FewShot.Sample(dataset, context.Shots, seed, picks);
        if (context.Limit is not { } limit || limit >= dataset.Items.Count)
            return dataset;
        return FewShot.Sample(dataset, Math.Max(1, limit / dataset.ClassNames.Count), seed);
    }

    private static Dictionary<string, IReadOnlyList<string>> ParseSynonyms(ConfigSection section, IReadOnlyList<string> lines)
    {
        var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':');
            var names = colon < 0 ? [] : line[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (colon <= 0 || names.Length == 0)
                throw section.Error("synonyms", $"'{line}' is not of the form \"class: other name, another\"");
            map[line[..colon].Trim()] = names;
        }
        return map;
    }
}

using Glov.Core.Scoring;
using Glov.Core.Templates;
using Glov.Vision.Features;

namespace Glov.Vision.Classification;

/// <summary>The outcome on one split: top-1 accuracy in percent over the readable images, hits per class,
/// the prediction for each image, and how many images were skipped as unreadable.</summary>
public sealed record ZeroShotResult(double Accuracy, IReadOnlyList<ClassHits> PerClass, IReadOnlyList<int> Predictions, int Skipped);

/// <summary>
/// CLIP zero-shot classification: each class's weight is the average of its L2-normalised template
/// features, normalised again; an image gets the class of highest cosine similarity to its normalised
/// feature (ties to the lower class index).
/// </summary>
public sealed class ZeroShotClassifier(TextFeatureCache texts)
{
    public float[][] ClassWeights(IReadOnlyList<Template> ensemble, IReadOnlyList<string> classNames)
    {
        if (ensemble.Count == 0)
            throw new ArgumentException("an ensemble needs at least one template", nameof(ensemble));
        var filled = classNames.SelectMany(c => ensemble.Select(t => t.Fill(c))).ToList();
        var features = texts.Get(filled);
        var weights = new float[classNames.Count][];
        for (var c = 0; c < classNames.Count; c++)
        {
            var normalised = Enumerable.Range(0, ensemble.Count).Select(t => Vectors.Normalized(features[c * ensemble.Count + t])).ToList();
            weights[c] = Vectors.Normalized(Vectors.Mean(normalised));
        }
        return weights;
    }

    public static ZeroShotResult Classify(float[][] classWeights, EncodedImages images, IReadOnlyList<string> classNames)
    {
        var predictions = new int[images.Items.Count];
        var correct = new int[classNames.Count];
        var total = new int[classNames.Count];
        for (var i = 0; i < predictions.Length; i++)
        {
            var best = 0;
            var bestScore = double.NegativeInfinity;
            for (var c = 0; c < classWeights.Length; c++)
            {
                var score = Vectors.Dot(images.Features[i], classWeights[c]);
                if (score > bestScore)
                {
                    bestScore = score;
                    best = c;
                }
            }
            predictions[i] = best;
            var label = images.Items[i].Label;
            total[label]++;
            if (best == label)
                correct[label]++;
        }
        var accuracy = predictions.Length == 0 ? 0 : 100.0 * correct.Sum() / predictions.Length;
        var perClass = classNames.Select((name, c) => new ClassHits(name, correct[c], total[c])).ToList();
        return new ZeroShotResult(accuracy, perClass, predictions, images.Skipped.Count);
    }

    public ZeroShotResult Evaluate(IReadOnlyList<Template> ensemble, EncodedImages images, IReadOnlyList<string> classNames) =>
        Classify(ClassWeights(ensemble, classNames), images, classNames);
}

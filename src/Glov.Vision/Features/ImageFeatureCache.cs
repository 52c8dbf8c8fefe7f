using Glov.Data;
using Glov.Vision.Model;

namespace Glov.Vision.Features;

/// <summary>
/// Image embeddings per (model fingerprint, image content): computed once, in batches, and kept on disk
/// when a cache folder is given, shared by every dataset and split holding the same pixels. A replaced
/// file has another content key, so it is encoded again. Images that cannot be read are skipped with a
/// warning naming them and reported — never cached, so a fixed file is read next time.
/// </summary>
public sealed class ImageFeatureCache(ClipModel model, string? cacheFolder = null, int batchSize = 32)
{
    public int BatchSize { get; } = batchSize;

    /// <summary>Pixels an image may have before it is decoded downscaled or skipped (<c>max_image_pixels</c>).</summary>
    public long MaxPixels { get; init; } = ImageDecoding.DefaultMaxPixels;

    /// <summary>How many images this instance has run through the encoder.</summary>
    public int Encoded { get; private set; }

    public EncodedImages Encode(ImageDataset dataset, IProgress<EncodingProgress>? progress = null, Action<string>? warn = null)
    {
        var log = cacheFolder is null ? null : new FeatureLog(Path.Combine(cacheFolder, "image-features", model.ModelFingerprint + ".features"));
        var known = log?.ReadAll() ?? [];
        var keys = new string?[dataset.Items.Count];
        Parallel.For(0, keys.Length, i => keys[i] = dataset.Items[i].ContentKey());
        var errors = new Dictionary<LabelledImage, string>();
        var missing = dataset.Items.Where((item, i) => keys[i] is null || !known.ContainsKey(keys[i]!)).Distinct().ToList();
        var keyOf = dataset.Items.Select((item, i) => (item, keys[i])).DistinctBy(p => p.item).ToDictionary(p => p.item, p => p.Item2);
        var done = dataset.Items.Count - missing.Count;
        progress?.Report(new EncodingProgress(done, dataset.Items.Count));

        var length = model.Preprocessor.OutputLength;
        for (var start = 0; start < missing.Count; start += BatchSize)
        {
            var batch = missing.GetRange(start, Math.Min(BatchSize, missing.Count - start));
            var pixels = new float[batch.Count * length];
            var batchErrors = new string?[batch.Count];
            Parallel.For(0, batch.Count, i =>
            {
                if (keyOf[batch[i]] is null)
                {
                    batchErrors[i] = "cannot be read";
                    return;
                }
                var decoded = batch[i].Decode(MaxPixels);
                using var bitmap = decoded.Bitmap;
                if (bitmap is null)
                    batchErrors[i] = decoded.Error ?? "unreadable";
                else
                    model.Preprocessor.Write(bitmap, pixels.AsSpan(i * length, length));
            });
            var readable = Enumerable.Range(0, batch.Count).Where(i => batchErrors[i] is null).ToArray();
            var features = readable.Length == 0 ? [] : model.EncodeImages(Compact(pixels, readable, length), readable.Length);
            Encoded += readable.Length;
            var fresh = new List<(string, float[])>(readable.Length);
            for (var r = 0; r < readable.Length; r++)
            {
                var key = keyOf[batch[readable[r]]]!;
                known[key] = features[r];
                fresh.Add((key, features[r]));
            }
            for (var i = 0; i < batch.Count; i++)
            {
                if (batchErrors[i] is { } error)
                    errors[batch[i]] = error;
            }
            log?.Append(fresh);
            done += batch.Count;
            progress?.Report(new EncodingProgress(done, dataset.Items.Count));
        }

        var items = new List<LabelledImage>();
        var vectors = new List<float[]>();
        var skipped = new List<SkippedImage>();
        foreach (var item in dataset.Items)
        {
            if (errors.TryGetValue(item, out var error))
            {
                skipped.Add(new SkippedImage(item.Id, error));
                warn?.Invoke($"skipped {Describe(item)}: {error}");
                continue;
            }
            items.Add(item);
            vectors.Add(Vectors.Normalized(known[keyOf[item]!]));
        }
        return new EncodedImages(items, vectors, skipped);
    }
    private static string Describe(LabelledImage item) => item is ImageFile file ? file.Path : item.Id;

    private static float[] Compact(float[] pixels, int[] keep, int length)
    {
        if (keep.Length * length == pixels.Length)
            return pixels;
        var compact = new float[keep.Length * length];
        for (var i = 0; i < keep.Length; i++)
            Array.Copy(pixels, keep[i] * length, compact, i * length, length);
        return compact;
    }
}

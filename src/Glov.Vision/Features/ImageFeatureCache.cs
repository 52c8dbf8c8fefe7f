using Glov.Data;
using Glov.Vision.Model;

namespace Glov.Vision.Features;

/// <summary>
/// Image embeddings per (model fingerprint, dataset, split, item): computed once, in batches, and kept
/// on disk when a cache folder is given. Images that cannot be decoded are skipped with a warning
/// naming them, remembered, and reported — never a crash.
/// </summary>
public sealed class ImageFeatureCache(ClipModel model, string? cacheFolder = null, int batchSize = 32)
{
    public int BatchSize { get; } = batchSize;

    /// <summary>How many images this instance has run through the encoder.</summary>
    public int Encoded { get; private set; }

    public EncodedImages Encode(ImageDataset dataset, IProgress<EncodingProgress>? progress = null, Action<string>? warn = null)
    {
        var log = cacheFolder is null ? null
            : new FeatureLog(Path.Combine(cacheFolder, "image-features", model.ModelFingerprint, dataset.Key, dataset.Split + ".bin"));
        var known = log?.ReadAll() ?? [];
        var missing = dataset.Items.Where(i => !known.ContainsKey(i.Id)).DistinctBy(i => i.Id).ToList();
        var done = dataset.Items.Count - missing.Count;
        progress?.Report(new EncodingProgress(done, dataset.Items.Count));

        var length = model.Preprocessor.OutputLength;
        for (var start = 0; start < missing.Count; start += BatchSize)
        {
            var batch = missing.GetRange(start, Math.Min(BatchSize, missing.Count - start));
            var pixels = new float[batch.Count * length];
            var errors = new string?[batch.Count];
            Parallel.For(0, batch.Count, i =>
            {
                var decoded = batch[i].Decode();
                using var bitmap = decoded.Bitmap;
                if (bitmap is null)
                    errors[i] = decoded.Error ?? "unreadable";
                else
                    model.Preprocessor.Write(bitmap, pixels.AsSpan(i * length, length));
            });
            var readable = Enumerable.Range(0, batch.Count).Where(i => errors[i] is null).ToArray();
            var features = readable.Length == 0 ? [] : model.EncodeImages(Compact(pixels, readable, length), readable.Length);
            Encoded += readable.Length;
            var entries = new List<FeatureLog.Entry>(batch.Count);
            for (int i = 0, r = 0; i < batch.Count; i++)
                entries.Add(errors[i] is null
                    ? new FeatureLog.Entry(batch[i].Id, features[r++], null)
                    : new FeatureLog.Entry(batch[i].Id, null, errors[i]));
            foreach (var entry in entries)
                known[entry.Key] = entry;
            log?.Append(entries);
            done += batch.Count;
            progress?.Report(new EncodingProgress(done, dataset.Items.Count));
        }

        var items = new List<LabelledImage>();
        var vectors = new List<float[]>();
        var skipped = new List<SkippedImage>();
        foreach (var item in dataset.Items)
        {
            var entry = known[item.Id];
            if (entry.Features is null)
            {
                skipped.Add(new SkippedImage(item.Id, entry.Error ?? "unreadable"));
                warn?.Invoke($"skipped {Describe(item)}: {entry.Error}");
                continue;
            }
            items.Add(item);
            vectors.Add(Vectors.Normalized(entry.Features));
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

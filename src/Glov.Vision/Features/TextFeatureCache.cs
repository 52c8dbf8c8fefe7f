using Glov.Core.Optimization;
using Glov.Vision.Model;

namespace Glov.Vision.Features;

/// <summary>
/// Text embeddings per (model fingerprint, exact text), in memory and, with a cache folder, on disk
/// in a <see cref="FeatureLog"/> that any number of processes share. Texts not seen before are encoded together in batches.
/// </summary>
public sealed class TextFeatureCache
{
    private readonly ClipModel _model;
    private readonly FeatureLog? _log;
    private readonly Dictionary<string, float[]> _features;
    private readonly Lock _lock = new();

    public TextFeatureCache(ClipModel model, string? cacheFolder = null, int batchSize = 64)
    {
        _model = model;
        BatchSize = batchSize;
        _log = cacheFolder is null ? null : new FeatureLog(Path.Combine(cacheFolder, "text-features", model.ModelFingerprint + ".features"));
        _features = _log?.ReadAll() ?? new Dictionary<string, float[]>(StringComparer.Ordinal);
    }

    public int BatchSize { get; }

    /// <summary>How many texts this instance has run through the encoder.</summary>
    public int Encoded { get; private set; }

    /// <summary>Raw (unnormalised) embeddings, one per text, in order.</summary>
    /// <param name="progress">Told how many of <paramref name="texts"/> have their embedding, at the start and after every encoder batch.</param>
    public IReadOnlyList<float[]> Get(IReadOnlyList<string> texts, IProgress<int>? progress = null)
    {
        lock (_lock)
        {
            var missing = texts.Where(t => !_features.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
            // Counted so that the last report is texts.Count, also when a text is asked for twice.
            var known = texts.Count - missing.Count;
            progress?.Report(known);
            if (missing.Count > 0)
            {
                var encoded = _model.EncodeTexts(missing, BatchSize, encoded: progress is null ? null : new SynchronousProgress<int>(n => progress.Report(known + n)));
                for (var i = 0; i < missing.Count; i++)
                    _features[missing[i]] = encoded[i];
                Encoded += missing.Count;
                _log?.Append(missing.Select((t, i) => (t, encoded[i])).ToList());
            }
            return texts.Select(t => _features[t]).ToList();
        }
    }
}

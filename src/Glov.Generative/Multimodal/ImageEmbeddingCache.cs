namespace Glov.Generative.Multimodal;

/// <summary>
/// Projected image embeddings by image content hash, least recently used evicted beyond a byte
/// budget. Every candidate question is asked about the same few-shot images, so the vision tower
/// runs once per image for the whole run instead of once per (question, image).
/// </summary>
internal sealed class ImageEmbeddingCache(long budgetBytes)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, float[] Values)>> _index = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, float[] Values)> _order = new();
    private long _bytes;

    public long Hits { get; private set; }

    public long Misses { get; private set; }

    public float[] GetOrAdd(string key, Func<float[]> compute)
    {
        if (_index.TryGetValue(key, out var node))
        {
            Hits++;
            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value.Values;
        }
        Misses++;
        var values = compute();
        var size = (long)values.Length * sizeof(float);
        if (size > budgetBytes)
            return values;
        while (_bytes + size > budgetBytes && _order.Last is { } oldest)
        {
            _order.RemoveLast();
            _index.Remove(oldest.Value.Key);
            _bytes -= (long)oldest.Value.Values.Length * sizeof(float);
        }
        _index[key] = _order.AddFirst((key, values));
        _bytes += size;
        return values;
    }
}

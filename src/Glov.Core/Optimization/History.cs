using Glov.Core.Templates;

namespace Glov.Core.Optimization;

/// <summary>
/// Every template scored so far, one per dedup key. Rankings are stable: equal scores keep
/// proposal order (earlier first), so the same history always yields the same meta-prompt.
/// </summary>
public sealed class History
{
    private readonly List<ScoredTemplate> _items = [];
    private readonly Dictionary<string, ScoredTemplate> _byKey = new(StringComparer.Ordinal);

    public IReadOnlyList<ScoredTemplate> Items => _items;

    public int Count => _items.Count;

    public bool Contains(Template template) => _byKey.ContainsKey(template.Key);

    public ScoredTemplate? Find(Template template) => _byKey.GetValueOrDefault(template.Key);

    /// <summary>Adds a scored template; a second template with the same key is refused.</summary>
    public void Add(ScoredTemplate scored)
    {
        if (!_byKey.TryAdd(scored.Template.Key, scored))
            throw new InvalidOperationException($"template already scored: \"{scored.Template.Text}\"");
        _items.Add(scored);
    }

    /// <summary>Best first; ties broken by proposal order.</summary>
    public IReadOnlyList<ScoredTemplate> RankedBestFirst() =>
        _items.OrderByDescending(s => s.Score).ThenBy(s => s.Step).ThenBy(s => s.Index).ToList();

    public ScoredTemplate? Best => _items.Count == 0 ? null : RankedBestFirst()[0];
}

using System.Text.Json;
using Glov.Core;
using Glov.Core.Files;

namespace Glov.Data;

/// <summary>
/// Picks k images per class with a seed and records the picks in a JSON file; a later run with the
/// same file reads the picks back instead of sampling again, so the few-shot set never drifts.
/// </summary>
public static class FewShot
{
    private sealed record Picks(string Dataset, string Split, int Shots, int Seed, List<string> Items);

    public static ImageDataset Sample(ImageDataset dataset, int shots, int seed, string? picksFile = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shots, 1);
        if (picksFile is not null && File.Exists(picksFile))
            return Reuse(dataset, shots, seed, picksFile);

        var random = new Random(seed);
        var picked = new List<LabelledImage>();
        foreach (var group in dataset.Items.GroupBy(i => i.Label).OrderBy(g => g.Key))
        {
            var pool = group.OrderBy(i => i.Id, StringComparer.Ordinal).ToArray();
            random.Shuffle(pool);
            picked.AddRange(pool.Take(shots));
        }
        // Atomically: a run killed mid-write, or two runs sampling at once, never leave a torn picks file.
        if (picksFile is not null)
            AtomicFile.WriteAllText(picksFile, JsonSerializer.Serialize(
                new Picks(dataset.Key, dataset.Split, shots, seed, picked.Select(i => i.Id).ToList()), new JsonSerializerOptions { WriteIndented = true }));
        return dataset.WithItems(picked);
    }

    private static ImageDataset Reuse(ImageDataset dataset, int shots, int seed, string picksFile)
    {
        Picks? picks;
        try
        {
            picks = JsonSerializer.Deserialize<Picks>(File.ReadAllText(picksFile));
        }
        catch (JsonException e)
        {
            throw new GlovUserException($"{picksFile}: malformed few-shot picks file ({e.Message})", e);
        }
        if (picks is null || picks.Shots != shots || picks.Seed != seed || picks.Split != dataset.Split)
            throw new GlovUserException($"{picksFile}: holds picks for {picks?.Shots} shots, seed {picks?.Seed}, split {picks?.Split}; asked for {shots} shots, seed {seed}, split {dataset.Split} (delete the file to sample again)");
        var byId = dataset.Items.ToDictionary(i => i.Id, StringComparer.Ordinal);
        var items = picks.Items.Select(id => byId.TryGetValue(id, out var item) ? item
            : throw new GlovUserException($"{picksFile}: picked image \"{id}\" is no longer in the dataset")).ToList();
        return dataset.WithItems(items);
    }
}

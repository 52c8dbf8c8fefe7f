using Glov.Core;
using Glov.Data;

namespace Glov.Vision.Tests.Data;

public class FewShotTests
{
    private static readonly Lazy<ImageDataset> Train = new(() => Datasets.Open(Assets.Cifar10, "train"));

    [Fact]
    public void Picks_k_per_class_deterministically()
    {
        var first = FewShot.Sample(Train.Value, 2, seed: 7);
        var again = FewShot.Sample(Train.Value, 2, seed: 7);
        var other = FewShot.Sample(Train.Value, 2, seed: 8);
        Assert.Equal(20, first.Items.Count);
        Assert.All(first.CountPerClass(), n => Assert.Equal(2, n));
        Assert.Equal(first.Items.Select(i => i.Id), again.Items.Select(i => i.Id));
        Assert.NotEqual(first.Items.Select(i => i.Id), other.Items.Select(i => i.Id));
        Assert.Equal(first.Items.Count, first.Items.Select(i => i.Id).Distinct().Count());
    }

    [Fact]
    public void Saved_picks_are_reused_instead_of_sampling()
    {
        var picks = Path.Combine(Assets.NewScratchFolder("picks"), "fewshot.json");
        var saved = FewShot.Sample(Train.Value, 1, seed: 3, picks);
        Assert.True(File.Exists(picks));
        Assert.Equal(saved.Items.Select(i => i.Id), FewShot.Sample(Train.Value, 1, seed: 3, picks).Items.Select(i => i.Id));

        // Whatever the file holds is what a later run uses.
        var chosen = new[] { Path.Combine("train", "dog", "0042.jpg"), Path.Combine("train", "cat", "0007.jpg") };
        File.WriteAllText(picks, System.Text.Json.JsonSerializer.Serialize(new { Dataset = Train.Value.Key, Split = "train", Shots = 1, Seed = 3, Items = chosen }));
        var reused = FewShot.Sample(Train.Value, 1, seed: 3, picks);
        Assert.Equal(chosen, reused.Items.Select(i => i.Id));
        Assert.Equal([5, 3], reused.Items.Select(i => i.Label));
    }

    [Fact]
    public void Saved_picks_for_other_settings_are_refused()
    {
        var picks = Path.Combine(Assets.NewScratchFolder("picks-other"), "fewshot.json");
        FewShot.Sample(Train.Value, 1, seed: 3, picks);
        var error = Assert.Throws<GlovUserException>(() => FewShot.Sample(Train.Value, 2, seed: 3, picks));
        Assert.StartsWith(picks, error.Message);
    }
}

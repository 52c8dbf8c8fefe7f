using System.Text.RegularExpressions;
using Glov.Cli.Evaluation;
using Glov.Core.Templates;

namespace Glov.Cli.Tests;

public class BaselineTests
{
    [Fact]
    public void The_random_descriptor_control_is_seeded_sized_like_the_ensemble_and_WaffleCLIP_shaped()
    {
        var a = Baseline.RandomDescriptors(18, seed: 7);
        var again = Baseline.RandomDescriptors(18, seed: 7);
        var other = Baseline.RandomDescriptors(18, seed: 8);

        Assert.Equal(18, a.Templates.Count);
        Assert.Equal(a.Templates.Select(t => t.Text), again.Templates.Select(t => t.Text));
        Assert.NotEqual(a.Templates.Select(t => t.Text), other.Templates.Select(t => t.Text));
        Assert.All(a.Templates, t => Assert.Matches($"^a photo of a {Regex.Escape(Template.Placeholder)}, which has [a-z]{{3,8}} [a-z]{{3,8}}\\.$", t.Text));
        Assert.Equal(18, a.Templates.Select(t => t.Key).Distinct().Count());
        Assert.Equal("random-descriptors", a.Key);
    }

    [Theory]
    [InlineData("EuroSAT", "eurosat.txt", 3)]
    [InlineData("oxford_pets", "oxford-pets.txt", 1)]
    [InlineData("CIFAR-10", "cifar10.txt", 18)]
    [InlineData("my own data", "imagenet.txt", 80)]
    public void The_ensemble_baseline_is_CLIPs_published_set_for_the_dataset(string dataset, string file, int count)
    {
        var ensemble = Baseline.DatasetEnsemble(null, dataset);
        Assert.Equal($"template ensemble ({file}, {count})", ensemble.Method);
        Assert.Equal(count, ensemble.Templates.Count);
    }
}

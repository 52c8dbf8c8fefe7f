namespace Glov.Cli.Tests;

public class DatasetsCommandTests
{
    [Fact]
    public async Task Datasets_list_names_every_catalog_dataset_with_its_class_count_and_folder()
    {
        using var work = new Workspace();
        var result = await work.Run("datasets", "list");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(20, lines.Length); // header + 16 paper datasets + CIFAR-10/100 + Fashion-MNIST
        var eurosat = Assert.Single(lines, l => l.StartsWith("eurosat ", StringComparison.Ordinal));
        Assert.Matches(@"^eurosat\s+EuroSAT\s+10\s+eurosat/\s+test\s+2750/ \+ split_zhou_EuroSAT.json", eurosat);
        Assert.Matches(@"^imagenet-a\s+ImageNet-A\s+200\s+imagenet-adversarial/", Assert.Single(lines, l => l.StartsWith("imagenet-a ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Datasets_check_prints_counts_and_a_verdict_and_exits_3_on_a_problem()
    {
        using var work = new Workspace();
        var root = work.File("data");
        var written = await work.Run("fixture", "datasets", root, "eurosat", "cifar10", "--per-class", "4");
        Assert.Equal(0, written.ExitCode);

        var ok = await work.Run("datasets", "check", "--root", root, "eurosat", "cifar10");
        Assert.True(ok.ExitCode == 0, ok.Stdout + ok.Stderr);
        Assert.Contains("  train        20   10/10           2         2\n", ok.Stdout);
        Assert.Contains("  ok: 10 classes, 40 images\n", ok.Stdout);
        Assert.EndsWith("verdict: all 2 dataset(s) ok\n", ok.Stdout);

        File.Delete(Path.Combine(root, "eurosat", "2750", "River", "River_1.jpg"));
        var bad = await work.Run("datasets", "check", "--root", root, "eurosat", "cifar10");
        Assert.Equal(3, bad.ExitCode);
        Assert.Contains($"  problem: {Path.Combine(root, "eurosat", "split_zhou_EuroSAT.json")}: train names River/River_1.jpg, which is not there\n", bad.Stdout);
        Assert.Contains("  FAILED: 1 problem(s)\n", bad.Stdout);
        Assert.EndsWith("verdict: 1 of 2 dataset(s) have problems\n", bad.Stdout);
    }

    [Fact]
    public async Task An_unknown_dataset_name_is_one_line_exit_2_listing_the_known_ones()
    {
        using var work = new Workspace();
        var result = await work.Run("datasets", "check", "--root", work.Path, "eurosatt");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("glov: unknown dataset 'eurosatt' (known: imagenet, imagenetv2, imagenet-sketch,", result.Stderr);
        Assert.Single(result.ErrorLines);
    }

    [Fact]
    public async Task A_config_naming_an_unknown_catalog_dataset_or_no_root_is_one_line_naming_the_key()
    {
        using var work = new Workspace();
        var unknown = work.Write("a.yaml", $"dataset: {{name: eurosatt, root: {work.Path}}}\nproposer: {{kind: scripted}}\nguidance: {{enabled: false}}\nfitness: {{kind: keyword, classes: [a, b]}}\n");
        var result = await work.Run("optimize", "--config", unknown);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"glov: {unknown}: dataset.name: unknown dataset 'eurosatt' (known: ", result.Stderr);

        var noRoot = work.Write("b.yaml", "dataset: {name: eurosat}\nproposer: {kind: scripted}\nguidance: {enabled: false}\nfitness: {kind: keyword, classes: [a, b]}\n");
        result = await work.Run("optimize", "--config", noRoot);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"glov: {noRoot}: dataset.root: missing (required with dataset.name): the data root holding the dataset folders\n", result.Stderr);
    }
}

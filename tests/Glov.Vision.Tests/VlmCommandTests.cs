using Glov.Cli;
using Glov.Cli.Composition;
using Glov.Vision.Tests.Data;
using SkiaSharp;

namespace Glov.Vision.Tests;

public class VlmCommandTests
{
    private static async Task<(int Code, string Stdout, string Stderr)> Glov(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Program.RunAsync(args, stdout, stderr, ComponentRegistry.Default);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string ToyDataset()
    {
        var root = Assets.NewScratchFolder("cli-dataset");
        SKColor[] colours = [SKColors.Red, SKColors.Green, SKColors.Blue, SKColors.Yellow];
        foreach (var split in new[] { "train", "test" })
            for (var i = 0; i < 6; i++)
                DatasetFormatTests.WritePng(Path.Combine(root, split, i % 2 == 0 ? "cat" : "dog", $"{i}.png"), colours[i % 4].WithRed((byte)(i * 40)));
        return root;
    }

    [Theory]
    [InlineData("merges")]
    [InlineData("tokenizer.json")]
    [InlineData("folder")]
    public async Task Tokenize_prints_ids_on_one_line(string source)
    {
        var vocab = source switch
        {
            "merges" => Assets.ClipMerges,
            "tokenizer.json" => Path.Combine(Assets.TinyModel, "tokenizer.json"),
            _ => Assets.TinyModel,
        };
        var (code, stdout, _) = await Glov("vlm", "tokenize", "--vocab", vocab, "a photo of a cat.");
        Assert.Equal(0, code);
        Assert.Equal("49406 320 1125 539 320 2368 269 49407\n", stdout);
    }

    [Fact]
    public async Task Zero_shot_prints_the_accuracy_the_classifier_computes()
    {
        var dataset = ToyDataset();
        var cache = Assets.NewScratchFolder("cli-cache");
        var (code, stdout, stderr) = await Glov("vlm", "zero-shot", "--model", Assets.TinyModel, "--dataset", dataset, "--split", "test",
            "--template", "a photo of a {}.", "--template", "a <category> sitting on a sofa.", "--cache-dir", cache, "--per-class");
        Assert.True(code == 0, stderr);

        using var model = Model.ClipModel.Open(Assets.TinyModel);
        var data = global::Glov.Data.Datasets.Open(dataset, "test");
        var images = new Features.ImageFeatureCache(model).Encode(data);
        var expected = new Classification.ZeroShotClassifier(new Features.TextFeatureCache(model))
            .Evaluate([Core.Templates.Template.Create("a photo of a <category>."), Core.Templates.Template.Create("a <category> sitting on a sofa.")], images, data.ClassNames);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"accuracy {expected.Accuracy:F2}% ({expected.PerClass.Sum(h => h.Correct)}/6) on test, 2 classes, 2 template(s)", lines[0]);
        Assert.Equal($"  cat: {expected.PerClass[0].Correct}/3", lines[1]);
        Assert.Contains("images encoded 6/6", stderr);
    }

    [Fact]
    public async Task Zero_shot_takes_the_dataset_of_a_run_config()
    {
        var work = Assets.NewScratchFolder("cli-config-dataset");
        var dataset = ToyDataset();
        Directory.Move(dataset, Path.Combine(work, "toy"));
        var config = Path.Combine(work, "run.yaml");
        File.WriteAllText(config, "fitness:\n  kind: clip\n  dataset: toy\n");
        var (code, stdout, stderr) = await Glov("vlm", "zero-shot", "--model", Assets.TinyModel, "--dataset", config, "--cache-dir", Path.Combine(work, "cache"));
        Assert.True(code == 0, stderr);
        Assert.Contains("on test, 2 classes, 1 template(s)", stdout);
        Assert.Contains("/6)", stdout);
    }

    [Fact]
    public async Task Zero_shot_on_a_missing_model_is_one_line_exit_2()
    {
        var (code, stdout, stderr) = await Glov("vlm", "zero-shot", "--model", "/nonexistent/model", "--dataset", Assets.Cifar10);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal("glov: /nonexistent/model: model folder not found\n", stderr);
    }

    [Fact]
    public async Task Template_without_placeholder_is_refused()
    {
        var (code, _, stderr) = await Glov("vlm", "zero-shot", "--model", Assets.TinyModel, "--dataset", Assets.Cifar10, "--template", "a photo");
        Assert.Equal(2, code);
        Assert.StartsWith("glov: --template \"a photo\": a class template needs exactly one <category>", stderr);
    }

    [Fact]
    public async Task Make_fixture_writes_the_export_layout()
    {
        var folder = Assets.NewScratchFolder("cli-fixture");
        var (code, stdout, stderr) = await Glov("vlm", "make-fixture", "--out", folder, "--combined", "--bpe", Assets.ClipMerges);
        Assert.True(code == 0, stderr);
        Assert.Equal($"wrote tiny fixture to {folder}\n", stdout);
        foreach (var file in new[] { "onnx/model.onnx", "tokenizer.json", "vocab.json", "merges.txt", "tokenizer_config.json", "preprocessor_config.json", "config.json" })
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Assets.TinyCombinedModel, "onnx", "model.onnx")), File.ReadAllBytes(Path.Combine(folder, "onnx", "model.onnx")));
    }

    [Fact]
    public async Task Optimize_runs_with_the_clip_fitness_kind()
    {
        var work = Assets.NewScratchFolder("cli-optimize");
        var config = Path.Combine(work, "run.yaml");
        File.WriteAllText(config, $"""
            name: clip-demo
            seed: 3
            runs_dir: {Path.Combine(work, "runs")}
            task:
              dataset: toy
              description: Coloured squares.
              shots: 2
            optimizer: {"{"}steps: 2, candidates: 4{"}"}
            guidance: {"{"}enabled: false{"}"}
            proposer: {"{"}kind: scripted{"}"}
            fitness:
              kind: clip
              model: {Assets.TinyModel}
              dataset: {ToyDataset()}
              cache_dir: {Path.Combine(work, "cache")}
            """);
        var (code, stdout, stderr) = await Glov("optimize", "--config", config);
        Assert.True(code == 0, stderr);
        Assert.NotEmpty(stdout);
        Assert.Single(Directory.GetFiles(Path.Combine(work, "cache", "few-shot")));
        Assert.True(File.Exists(Path.Combine(work, "runs", "clip-demo", "journal.db")));
    }

    [Fact]
    public async Task A_catalog_dataset_under_a_data_root_replaces_the_dataset_path_and_supplies_task_and_baseline_defaults()
    {
        var work = Assets.NewScratchFolder("cli-catalog");
        var root = Path.Combine(work, "data");
        global::Glov.Catalog.CatalogFixture.Write(root, [global::Glov.Catalog.DatasetCatalog.Find("eurosat")], perClass: 4);
        var config = Path.Combine(work, "run.yaml");
        File.WriteAllText(config, $"""
            name: catalog
            runs_dir: {Path.Combine(work, "runs")}
            dataset: {"{"}name: eurosat, root: {root}{"}"}
            optimizer: {"{"}steps: 1, candidates: 2{"}"}
            guidance: {"{"}enabled: false{"}"}
            proposer: {"{"}kind: scripted{"}"}
            fitness:
              kind: clip
              model: {Assets.TinyModel}
              cache_dir: {Path.Combine(work, "cache")}
            """);
        var (code, _, stderr) = await Glov("optimize", "--config", config);
        Assert.True(code == 0, stderr);
        var picks = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(work, "cache", "few-shot")))))!;
        Assert.Equal(10, picks["Items"]!.AsArray().Count); // one train image of each of EuroSAT's 10 classes
        Assert.All(picks["Items"]!.AsArray(), i => Assert.StartsWith("2750/", i!.GetValue<string>()));

        (code, var stdout, stderr) = await Glov("evaluate", "catalog", "--runs-dir", Path.Combine(work, "runs"));
        Assert.True(code == 0, stderr);
        // CLIP's 3 satellite templates are EuroSAT's ensemble; the test split has one image a class.
        Assert.Matches(@"template ensemble \(eurosat.txt, 3\)\s+3\s", stdout);
        Assert.Contains("test images: 10 (test split)", stdout);
        // Train and test scorers run on the same device: one line says where.
        Assert.Single(stderr.Split('\n'), l => l.StartsWith("device   scorer on cpu (", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Clip_fitness_with_an_unknown_key_is_refused()
    {
        var work = Assets.NewScratchFolder("cli-unknown-key");
        var config = Path.Combine(work, "run.yaml");
        File.WriteAllText(config, $$"""
            task: {dataset: toy}
            guidance: {enabled: false}
            proposer: {kind: scripted}
            fitness: {kind: clip, model: {{Assets.TinyModel}}, dataset: {{Assets.Cifar10}}, modle: x}
            """);
        var (code, _, stderr) = await Glov("optimize", "--config", config);
        Assert.Equal(2, code);
        Assert.Equal($"glov: {config}: unknown key 'fitness.modle'\n", stderr);
    }

    [Fact]
    public async Task A_resume_after_a_model_file_or_a_few_shot_image_changed_is_refused_naming_the_file()
    {
        var work = Assets.NewScratchFolder("cli-fingerprints");
        var model = Path.Combine(work, "model");
        foreach (var file in Directory.GetFiles(Assets.TinyModel, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(model, Path.GetRelativePath(Assets.TinyModel, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        var dataset = ToyDataset();
        var journal = await OptimizePinned(work, model, dataset);

        // Every train image is a few-shot pick (3 per class).
        var picked = Directory.GetFiles(Path.Combine(dataset, "train"), "*.png", SearchOption.AllDirectories).Order().First();
        var original = File.ReadAllBytes(picked);
        File.WriteAllBytes(picked, File.ReadAllBytes(Directory.GetFiles(Path.Combine(dataset, "test"), "*.png", SearchOption.AllDirectories).Order().Skip(1).First()));
        var image = await Glov("resume", journal);
        File.WriteAllBytes(picked, original);
        var config_ = Path.Combine(model, "preprocessor_config.json");
        File.AppendAllText(config_, "\n");
        var onnx = await Glov("resume", journal);

        Assert.Equal(2, image.Code);
        // The scorer reports loading its images before the run checks its inputs; the error is the one last line.
        var lines = image.Stderr.TrimEnd().Split('\n');
        Assert.StartsWith($"glov: {picked}: changed since the run {journal} started", lines[^1]);
        Assert.Single(lines, l => l.StartsWith("glov:", StringComparison.Ordinal));
        Assert.All(lines[..^1], l => Assert.StartsWith("load ", l));
        Assert.Equal(2, onnx.Code);
        Assert.StartsWith($"glov: {config_}: changed since the run {journal} started", LastLine(onnx.Stderr));
    }

    [Fact]
    public async Task A_resume_after_an_idx_images_or_labels_file_changed_is_refused_naming_it()
    {
        var work = Assets.NewScratchFolder("cli-idx-fingerprints");
        var fashion = global::Glov.Catalog.DatasetCatalog.Find("fashion-mnist");
        global::Glov.Catalog.CatalogFixture.Write(work, [fashion], perClass: 4);
        var dataset = fashion.PathUnder(work);
        var journal = await OptimizePinned(work, Assets.TinyModel, dataset);
        var unchanged = await Glov("resume", journal);

        var images = Path.Combine(dataset, "train-images-idx3-ubyte.gz");
        var original = File.ReadAllBytes(images);
        var pixels = Gunzip(original);
        pixels[^1] ^= 0xFF;
        File.WriteAllBytes(images, Gzip(pixels, System.IO.Compression.CompressionLevel.Fastest));
        var pixel = await Glov("resume", journal);
        File.WriteAllBytes(images, original);
        // The same labels compressed differently: the file, not what it decodes to, is the run's input.
        var labels = Path.Combine(dataset, "train-labels-idx1-ubyte.gz");
        File.WriteAllBytes(labels, Gzip(Gunzip(File.ReadAllBytes(labels)), System.IO.Compression.CompressionLevel.NoCompression));
        var label = await Glov("resume", journal);

        Assert.True(unchanged.Code == 0, unchanged.Stderr);
        Assert.Equal(2, pixel.Code);
        Assert.StartsWith($"glov: {images}: changed since the run {journal} started", LastLine(pixel.Stderr));
        Assert.Equal(2, label.Code);
        Assert.StartsWith($"glov: {labels}: changed since the run {journal} started", LastLine(label.Stderr));
    }

    /// <summary>A one-step run named "pinned" under <paramref name="work"/>: scripted proposer, CLIP fitness on
    /// <paramref name="dataset"/> with 3 shots. Returns its journal.</summary>
    private static async Task<string> OptimizePinned(string work, string model, string dataset)
    {
        var config = Path.Combine(work, "run.yaml");
        File.WriteAllText(config, $"""
            name: pinned
            runs_dir: {Path.Combine(work, "runs")}
            task: {"{"}dataset: {Path.GetFileName(dataset)}, shots: 3{"}"}
            optimizer: {"{"}steps: 1, candidates: 2{"}"}
            guidance: {"{"}enabled: false{"}"}
            proposer: {"{"}kind: scripted{"}"}
            fitness: {"{"}kind: clip, model: {model}, dataset: {dataset}, cache_dir: {Path.Combine(work, "cache")}{"}"}
            """);
        var first = await Glov("optimize", "--config", config);
        Assert.True(first.Code == 0, first.Stderr);
        return Path.Combine(work, "runs", "pinned", "journal.db");
    }

    /// <summary>A user error is the last line: progress lines may come before it.</summary>
    private static string LastLine(string stderr) => stderr.TrimEnd().Split('\n')[^1];

    private static byte[] Gunzip(byte[] data)
    {
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(data), System.IO.Compression.CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    private static byte[] Gzip(byte[] data, System.IO.Compression.CompressionLevel level)
    {
        using var packed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(packed, level))
            gzip.Write(data);
        return packed.ToArray();
    }

    [Fact]
    public async Task A_cache_dir_that_is_a_file_is_a_user_error_naming_the_key()
    {
        var work = Assets.NewScratchFolder("cli-cache-file");
        var file = Path.Combine(work, "cache");
        File.WriteAllText(file, "x");
        var config = Path.Combine(work, "run.yaml");
        File.WriteAllText(config, $$"""
            task: {dataset: toy}
            guidance: {enabled: false}
            proposer: {kind: scripted}
            fitness: {kind: clip, model: {{Assets.TinyModel}}, dataset: {{ToyDataset()}}, cache_dir: {{file}}}
            """);
        var (code, _, stderr) = await Glov("optimize", "--config", config);
        Assert.Equal(2, code);
        Assert.Equal($"glov: {config}: fitness.cache_dir: {file} is a file, not a folder\n", stderr);
    }
}

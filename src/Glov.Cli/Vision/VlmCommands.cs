using System.CommandLine;
using System.Globalization;
using Glov.Core;
using Glov.Core.Optimization;
using Glov.Core.Templates;
using Glov.Data;
using Glov.Vision.Classification;
using Glov.Vision.Features;
using Glov.Vision.Fixtures;
using Glov.Vision.Model;
using Glov.Vision.Tokenization;

namespace Glov.Cli.Vision;

/// <summary><c>glov vlm tokenize | zero-shot | make-fixture</c>: the dual-encoder scorer on its own.</summary>
public static class VlmCommands
{
    public static Command Create(TextWriter stdout, TextWriter stderr) =>
        new("vlm", "CLIP-family dual encoders: tokenize, zero-shot accuracy, fixture models") { Tokenize(stdout), ZeroShot(stdout, stderr), MakeFixture(stdout) };

    private static Command Tokenize(TextWriter stdout)
    {
        var vocab = new Option<string>("--vocab") { Description = "CLIP's merges file (bpe_simple_vocab_16e6.txt.gz), a tokenizer.json, a vocab.json or a model folder", Required = true };
        var text = new Argument<string>("text") { Description = "The text to tokenize" };
        var command = new Command("tokenize", "Print the token ids of a text, space-separated, start and end tokens included") { vocab, text };
        command.SetAction(parse =>
        {
            var ids = ClipTokenizer.Load(parse.GetRequiredValue(vocab)).Encode(parse.GetRequiredValue(text));
            stdout.WriteLine(string.Join(' ', ids));
            return 0;
        });
        return command;
    }

    private static Command ZeroShot(TextWriter stdout, TextWriter stderr)
    {
        var model = new Option<string>("--model") { Description = "Model folder (Hugging Face / transformers.js ONNX export)", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "Image folder, folder of IDX files, CoOp split .json, or a run config (.yaml) whose fitness.dataset is used", Required = true };
        var split = new Option<string>("--split") { Description = "Split to evaluate", DefaultValueFactory = _ => "test" };
        var templates = new Option<string[]>("--template") { Description = "Template with <category> (repeat for an ensemble; default \"a photo of a <category>.\")", AllowMultipleArgumentsPerToken = false };
        var shots = new Option<int?>("--shots") { Description = "Evaluate on this many images per class (seeded) instead of the whole split" };
        var seed = new Option<int>("--seed") { Description = "Seed of the --shots sample", DefaultValueFactory = _ => 0 };
        var cacheDir = new Option<string>("--cache-dir") { Description = "Feature cache folder", DefaultValueFactory = _ => Path.Combine(".glov", "cache") };
        var perClass = new Option<bool>("--per-class") { Description = "Also print hits per class" };
        var command = new Command("zero-shot", "Zero-shot top-1 accuracy of a template (or an ensemble) on a dataset split")
            { model, dataset, split, templates, shots, seed, cacheDir, perClass };
        command.SetAction(parse =>
        {
            var ensemble = (parse.GetValue(templates) is { Length: > 0 } given ? given : ["a photo of a <category>."]).Select(ParseTemplate).ToList();
            using var clip = ClipModel.Open(parse.GetRequiredValue(model));
            var data = Datasets.Open(DatasetPath(parse.GetRequiredValue(dataset)), parse.GetRequiredValue(split), warning => stderr.WriteLine($"glov: warning: {warning}"));
            if (parse.GetValue(shots) is { } k)
                data = FewShot.Sample(data, k, parse.GetValue(seed));
            var cache = parse.GetRequiredValue(cacheDir);
            var images = new ImageFeatureCache(clip, cache).Encode(data, Progress(stderr), warning => stderr.WriteLine($"glov: warning: {warning}"));
            var result = new ZeroShotClassifier(new TextFeatureCache(clip, cache)).Evaluate(ensemble, images, data.ClassNames);
            var correct = result.PerClass.Sum(h => h.Correct);
            var total = result.PerClass.Sum(h => h.Total);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"accuracy {result.Accuracy:F2}% ({correct}/{total}) on {data.Split}, {data.ClassNames.Count} classes, {ensemble.Count} template(s){(result.Skipped > 0 ? $", {result.Skipped} unreadable image(s) skipped" : "")}"));
            if (parse.GetValue(perClass))
                foreach (var hits in result.PerClass)
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {hits.ClassName}: {hits.Correct}/{hits.Total}"));
            return 0;
        });
        return command;
    }

    private static Command MakeFixture(TextWriter stdout)
    {
        var output = new Option<string>("--out") { Description = "Folder to write the model into", Required = true };
        var size = new Option<string>("--size") { Description = "tiny (unit tests) or vit-b-32 (benchmark-size, random weights)", DefaultValueFactory = _ => "tiny" };
        var bpe = new Option<string?>("--bpe") { Description = "CLIP's bpe_simple_vocab_16e6.txt.gz (default: $GLOV_SHARED or ../shared, models/clip-bpe)" };
        var combined = new Option<bool>("--combined") { Description = "Write one onnx/model.onnx instead of text_model.onnx + vision_model.onnx" };
        var textOnly = new Option<bool>("--text-only") { Description = "Write only the text tower" };
        var seed = new Option<ulong>("--seed") { Description = "Weight seed", DefaultValueFactory = _ => 20241008 };
        var command = new Command("make-fixture", "Write a random-weight CLIP-style dual encoder in the Hugging Face ONNX export layout, with CLIP's real vocabulary")
            { output, size, bpe, combined, textOnly, seed };
        command.SetAction(parse =>
        {
            var fixtureSize = parse.GetRequiredValue(size) switch
            {
                "tiny" => FixtureSize.Tiny,
                "vit-b-32" => FixtureSize.VitB32,
                var other => throw new GlovUserException($"--size {other}: expected tiny or vit-b-32"),
            };
            var merges = parse.GetValue(bpe) ?? DefaultMerges();
            if (!File.Exists(merges))
                throw new GlovUserException($"{merges}: CLIP merges file not found (give --bpe)");
            var folder = parse.GetRequiredValue(output);
            ClipFixtureGenerator.Write(folder, new ClipFixtureOptions(merges, fixtureSize, parse.GetValue(seed))
            {
                Combined = parse.GetValue(combined),
                TextOnly = parse.GetValue(textOnly),
            });
            stdout.WriteLine($"wrote {parse.GetRequiredValue(size)} fixture to {folder}");
            return 0;
        });
        return command;
    }

    /// <summary>A run config stands for the dataset its <c>fitness.dataset</c> names (relative to the config's folder).</summary>
    private static string DatasetPath(string argument)
    {
        if (!argument.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) && !argument.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            return argument;
        var config = Config.YamlConfig.Load(argument);
        var path = (config["fitness"] as System.Text.Json.Nodes.JsonObject)?["dataset"]?.GetValue<string>()
            ?? throw new GlovUserException($"{argument}: fitness.dataset is not set");
        return Path.GetFullPath(path, Path.GetDirectoryName(Path.GetFullPath(argument))!);
    }

    /// <summary>Accepts the placeholder spellings people type on a command line: <c>{}</c>, <c>{category}</c>.</summary>
    private static Template ParseTemplate(string text)
    {
        var canonical = Template.CountPlaceholders(text) == 0
            ? text.Replace("{category}", Template.Placeholder, StringComparison.Ordinal).Replace("{}", Template.Placeholder, StringComparison.Ordinal)
            : text;
        try
        {
            return Template.Create(canonical);
        }
        catch (ArgumentException e)
        {
            throw new GlovUserException($"--template \"{text}\": {e.Message.Split(" (Parameter")[0]}", e);
        }
    }

    private static string DefaultMerges()
    {
        var shared = Environment.GetEnvironmentVariable("GLOV_SHARED") is { Length: > 0 } env ? env : Path.Combine("..", "shared");
        return Path.Combine(shared, "models", "clip-bpe", "bpe_simple_vocab_16e6.txt.gz");
    }

    /// <summary>Images encoded so far, one line per tenth of the work (stderr is usually a log, not a terminal).</summary>
    internal static IProgress<EncodingProgress> Progress(TextWriter stderr)
    {
        var lastTenth = -1;
        var started = DateTime.UtcNow;
        return new SynchronousProgress<EncodingProgress>(p =>
        {
            if (p.Total == 0 || p.Done == p.Total && lastTenth < 0)
                return;
            var tenth = p.Done * 10 / p.Total;
            if (tenth == lastTenth)
                return;
            lastTenth = tenth;
            var elapsed = DateTime.UtcNow - started;
            var eta = p.Done == 0 ? "" : $", ETA {TimeSpan.FromSeconds(elapsed.TotalSeconds * (p.Total - p.Done) / p.Done):hh\\:mm\\:ss}";
            stderr.WriteLine($"images encoded {p.Done}/{p.Total}{eta}");
        });
    }
}

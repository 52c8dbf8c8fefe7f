using System.Diagnostics;
using System.Globalization;
using Glov.Core.Templates;
using Glov.Generative.Answering;
using Glov.Generative.Classification;
using Glov.Generative.Matching;
using Glov.Generative.Multimodal;
using Glov.LlamaCpp.Conversion;
using Glov.LlamaCpp.Gguf;

// Generative-VLM scoring speed on stand-in models: stories260K (chatml) as the language model with
// (a) the tiny test projector (16 image tokens) and (b) a real-shape random CLIP ViT-B/16 tower at
// 224 px (196 image tokens, F16). Prints images/s answered with and without the answer cache, the
// effect of batching, and seconds per candidate prompt over a 1-shot CIFAR-10 set (10 images) when a
// step's 5 candidates are scored together (as the optimizer does).
// Usage: dotnet run -c Release --project bench/Glov.Bench.Generative [-- <threads>]

var threads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
var shared = FindShared();
var work = Directory.CreateTempSubdirectory("glov-bench-vlm-").FullName;
try
{
    var lm = Path.Combine(work, "stories260K-chatml.gguf");
    var stories = Path.Combine(shared, "models", "stories260K");
    Llama2cConverter.Convert(Path.Combine(stories, "stories260K.bin"), Path.Combine(stories, "tok512.bin"), lm, chatTemplate: "chatml");
    var cifar = Path.Combine(shared, "datasets", "cifar10", "train");
    var classes = Directory.GetDirectories(cifar).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
    var images = classes.Select((c, k) => new FewShotImage(Path.Combine(cifar, c!, "0000.jpg"), k)).ToArray();
    const string question = "Describe the category present in this image briefly and also identify the name of the category present.";
    var candidates = new[]
    {
        "What is the main object in this picture?", "Name the category of the object shown.", "What kind of thing is in this image?",
        "Identify the object in the photo in one word.", "Which category does this image belong to?",
    }.Select(q => Template.Create(q, PromptKind.FreeText)).ToArray();

    Console.WriteLine($"threads {threads}; {images.Length} CIFAR-10 images (1 per class); question = GLOV's LLaVA seed; ≤ 50 new tokens, greedy");
    Console.WriteLine("machine shared with other builds: compare ratios within a row, not absolute times across runs\n");
    using var encoder = OnnxSentenceEncoder.MiniLm();
    var matcher = new ClassMatcher(classes.Select(c => new ClassLabel(c!)).ToArray(), encoder, MatchRule.MentionFirst);

    foreach (var (label, shape, type) in new[]
             {
                 ("tiny projector (16 image tokens)", ClipProjectorShape.Tiny, GgmlType.F32),
                 ("ViT-B/16-224 projector (196 image tokens, F16)", ClipProjectorShape.VitB16(outputWidth: 64), GgmlType.F16),
             })
    {
        var mmproj = Path.Combine(work, $"mmproj-{shape.ImageSize}.gguf");
        ClipProjectorWriter.Write(mmproj, shape, seed: 1, type);
        Console.WriteLine($"== {label}");
        foreach (var (batch, imageCache) in new[] { (1, 1024), (4, 1024), (4, 0) })
        {
            using var vlm = MtmdAnswerer.Load(lm, mmproj, new VlmOptions { Threads = threads, BatchSize = batch, ContextSize = 2048, ImageCacheMegabytes = imageCache });
            var asked = images.Select(i => new VisualQuestion(i.Path, question)).ToArray();
            await vlm.AnswerAsync(asked.Take(1).ToArray());   // warm-up: first graph allocation

            var cached = new CachingAnswerer(vlm);
            var cold = await Time(() => cached.AnswerAsync(asked));
            var warm = await Time(() => cached.AnswerAsync(asked));
            var fitness = new GenerativeClassificationFitness(new CachingAnswerer(vlm), matcher, images);
            var step = await Time(() => fitness.ScoreAsync(candidates));
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "batch {0}, image cache {6,-3}: answers {1,6:0.0} images/s | answer cache hits {2,8:0} images/s ({3,6:0}x) | per candidate over {4} images {5,6:0.00} s",
                batch, asked.Length / cold, asked.Length / warm, cold / warm, images.Length, step / candidates.Length, imageCache > 0 ? "on" : "off"));
        }
        Console.WriteLine();
    }
}
finally
{
    Directory.Delete(work, true);
}

static async Task<double> Time<T>(Func<Task<T>> action)
{
    var watch = Stopwatch.StartNew();
    await action();
    return watch.Elapsed.TotalSeconds;
}

static string FindShared()
{
    if (Environment.GetEnvironmentVariable("GLOV_SHARED") is { Length: > 0 } env)
        return env;
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (Directory.Exists(Path.Combine(d.FullName, "shared", "models")))
            return Path.Combine(d.FullName, "shared");
    throw new InvalidOperationException("shared/ not found: set GLOV_SHARED or put the shared/ folder beside the repository");
}

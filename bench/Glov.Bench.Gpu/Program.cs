using System.Diagnostics;
using System.Globalization;
using Glov.Bench.Llama;
using Glov.Core.Devices;
using Glov.Core.Proposing;
using Glov.LlamaCpp.Conversion;
using Glov.LlamaCpp.Engine;
using Glov.LlamaCpp.Gguf;
using Glov.Onnx;
using Glov.Vision.Features;
using Glov.Vision.Fixtures;
using Glov.Vision.Model;

// One GLOV step on the CPU and on a GPU, in one run: the proposer (a random-weight model of a 0.5B shape,
// 600-token prompt, 10 candidates × 50 tokens, exact steering) and the scorer (1,000 class texts and 128
// images through a ViT-B/32-size random-weight CLIP). The scorer's features on both devices must agree
// (normalised, max |Δ| ≤ 1e-3), else the exit code is 1. Needs glov built with -p:GlovCuda=true and
// GLOV_LLAMA_LIBRARY naming a CUDA build of llama.cpp (scripts/gpu-check.sh does both).
//   dotnet run -c Release -p:GlovCuda=true --project bench/Glov.Bench.Gpu -- [--device cuda:0] [--dir DIR] [--bpe FILE]
//        [--shape 0.5b|tiny] [--texts 1000] [--images 128]     (tiny and fewer: a quick check that it runs)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var options = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p.a, p => p.i + 1 < args.Length ? args[p.i + 1] : "");
var gpuSetting = DeviceSetting.TryParse(options.GetValueOrDefault("--device") ?? "cuda")
    ?? throw new ArgumentException($"--device: {DeviceSetting.Choices}");
var dir = options.GetValueOrDefault("--dir") ?? Path.Combine(Path.GetTempPath(), "glov-bench-gpu");
var shared = Environment.GetEnvironmentVariable("GLOV_SHARED") is { Length: > 0 } env ? env : Path.Combine("..", "shared");
var bpe = options.GetValueOrDefault("--bpe") ?? Path.Combine(shared, "models", "clip-bpe", "bpe_simple_vocab_16e6.txt.gz");
var shape = options.GetValueOrDefault("--shape") ?? "0.5b";
var textCount = int.Parse(options.GetValueOrDefault("--texts") ?? "1000", CultureInfo.InvariantCulture);
var imageCount = int.Parse(options.GetValueOrDefault("--images") ?? "128", CultureInfo.InvariantCulture);
Directory.CreateDirectory(dir);
Console.WriteLine($"command: dotnet run -c Release -p:GlovCuda=true --project bench/Glov.Bench.Gpu -- {string.Join(' ', args)}");

// The scorer.
var clipSize = shape == "tiny" ? FixtureSize.Tiny : FixtureSize.VitB32;
var clipFolder = Path.Combine(dir, $"clip-{clipSize.ToString().ToLowerInvariant()}");
if (!File.Exists(Path.Combine(clipFolder, "onnx", "vision_model.onnx")))
    ClipFixtureGenerator.Write(clipFolder, new ClipFixtureOptions(bpe, clipSize));
var cpuScorer = new DeviceChoice("scorer", DeviceSetting.Cpu, null, "device: cpu");
var gpuScorer = OnnxDevices.Resolve("scorer", "--device", gpuSetting);
Console.WriteLine($"device   {gpuScorer}");
var texts = Enumerable.Range(0, textCount).Select(i => $"a photo of a class number {i}, {(i % 3 == 0 ? "seen from far away" : "close up")}.").ToList();
var random = new Random(1);
(float[][] Texts, float[][] Images, double Seconds) ScorerStep(DeviceChoice device)
{
    using var clip = ClipModel.Open(clipFolder, device: device);
    var side = clip.Vision.Height * clip.Vision.Width * 3;
    var pixels = Enumerable.Range(0, imageCount * side).Select(i => MathF.Sin(i * 0.618f) * 2).ToArray();
    var batches = device.OnGpu ? (Text: 256, Image: 128) : (Text: 64, Image: 32);
    clip.EncodeTexts(texts.Take(8).ToList());
    var watch = Stopwatch.StartNew();
    var t = clip.EncodeTexts(texts, batches.Text);
    var images = new List<float[]>();
    for (var start = 0; start < imageCount; start += batches.Image)
    {
        var count = Math.Min(batches.Image, imageCount - start);
        images.AddRange(clip.EncodeImages(pixels[(start * side)..((start + count) * side)], count));
    }
    return (t, [.. images], watch.Elapsed.TotalSeconds);
}
var onCpu = ScorerStep(cpuScorer);
var onGpu = ScorerStep(gpuScorer);
static double MaxDifference(float[][] a, float[][] b) =>
    a.Zip(b).Max(p => Vectors.Normalized(p.First).Zip(Vectors.Normalized(p.Second)).Max(q => Math.Abs(q.First - q.Second)));
var textDelta = MaxDifference(onCpu.Texts, onGpu.Texts);
var imageDelta = MaxDifference(onCpu.Images, onGpu.Images);
Console.WriteLine($"scorer step ({textCount} texts + {imageCount} images): cpu {onCpu.Seconds:F2} s, {gpuScorer.Device} {onGpu.Seconds:F2} s, {onCpu.Seconds / onGpu.Seconds:F1}x");
Console.WriteLine($"scorer features {gpuScorer.Device} vs cpu (normalised): max |Δ| text {textDelta:E2}, image {imageDelta:E2} (limit 1e-3)");

// The proposer.
var hp = shape switch
{
    "0.5b" => new LlamaHyperParameters(Dim: 896, HiddenDim: 4864, Layers: 24, Heads: 14, KvHeads: 2, VocabSize: 151_936, ContextLength: 32_768, RmsEpsilon: 1e-6f, RopeBase: 1_000_000f),
    "tiny" => new LlamaHyperParameters(Dim: 128, HiddenDim: 384, Layers: 8, Heads: 4, KvHeads: 2, VocabSize: 4096, ContextLength: 4096),
    _ => throw new ArgumentException($"--shape: 0.5b or tiny, got {shape}"),
};
var gguf = Path.Combine(dir, $"random-{shape}-f16.gguf");
if (!File.Exists(gguf))
    LlamaGguf.Build($"random {shape}", hp, SyntheticVocabulary.Create(hp.VocabSize), new RandomLlamaWeights(hp, 1), GgmlType.F16).Write(gguf);
var prompt = new[] { 1 }.Concat(Enumerable.Range(0, 599).Select(_ => random.Next(300, hp.VocabSize))).ToArray();
var sampling = new SamplingSettings { Seed = 1, MaxNewTokens = 50 };
var steering = new SteeringVector(Enumerable.Range(0, hp.Dim).Select(_ => (float)(random.NextDouble() * 2 - 1) * 0.1f).ToArray(), 1f,
    SteeringVector.DefaultLayer(hp.Layers), SteeringMode.Exact);
(string Device, double Seconds) LlmStep(DeviceSetting device)
{
    using var model = LlamaModel.Load(gguf, new LlamaOptions { Device = device, DeviceKey = "--device", ContextSize = 600 + 10 * 51 + 256 });
    Console.WriteLine($"device   {model.Device}");
    using var generator = new LlamaGenerator(model) { ReusePromptCache = false };
    generator.Generate([1, 7], 10, sampling with { MaxNewTokens = 1 });
    var watch = Stopwatch.StartNew();
    generator.Generate(prompt, 10, sampling, steering);
    return (model.Device.Device, watch.Elapsed.TotalSeconds);
}
var llmCpu = LlmStep(DeviceSetting.Cpu);
var llmGpu = LlmStep(gpuSetting);
Console.WriteLine($"llm step ({shape}, 600-token prompt, 10 × 50 tokens, exact steering): cpu {llmCpu.Seconds:F2} s, {llmGpu.Device} {llmGpu.Seconds:F2} s, {llmCpu.Seconds / llmGpu.Seconds:F1}x");

if (textDelta > 1e-3 || imageDelta > 1e-3)
{
    Console.Error.WriteLine("scorer features differ between the devices by more than 1e-3");
    return 1;
}
return 0;

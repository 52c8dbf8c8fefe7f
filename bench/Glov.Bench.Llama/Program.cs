using System.Diagnostics;
using System.Globalization;
using Glov.Bench.Llama;
using Glov.TestSupport;
using Glov.Core.Proposing;
using Glov.LlamaCpp.Conversion;
using Glov.LlamaCpp.Engine;
using Glov.LlamaCpp.Gguf;
using LLama.Native;

// One step of GLOV's proposer on a random-weight model of a real shape: plain batched sampling, the
// steering modes, the naive one-after-another way, and prefix reuse across two steps. The prompts are
// random tokens of a chosen length sharing a chosen leading part, or (--prompts meta) the real
// meta-prompts of two consecutive steps as MetaPrompt builds them, in the model's chat template.
// Timings on a shared machine are noisy: compare the ratios, all measured in this one run.
var opts = Args.Parse(args);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine($"command: dotnet run -c Release --project bench/Glov.Bench.Llama -- {string.Join(' ', args)}");

var hp = opts.Model is not null ? null : opts.Shape switch
{
    "0.5b" => new LlamaHyperParameters(Dim: 896, HiddenDim: 4864, Layers: 24, Heads: 14, KvHeads: 2, VocabSize: 151_936, ContextLength: 32_768, RmsEpsilon: 1e-6f, RopeBase: 1_000_000f),
    "tiny" => new LlamaHyperParameters(Dim: 128, HiddenDim: 384, Layers: 8, Heads: 4, KvHeads: 2, VocabSize: 4096, ContextLength: 4096),
    _ => throw new ArgumentException($"--shape: 0.5b or tiny, got {opts.Shape}"),
};
Directory.CreateDirectory(opts.Dir);
var path = opts.Model ?? Path.Combine(opts.Dir, $"random-{opts.Shape}-{opts.Type.ToString().ToLowerInvariant()}.gguf");
if (hp is not null && !File.Exists(path))
{
    var sw = Stopwatch.StartNew();
    LlamaGguf.Build($"random {opts.Shape}", hp, SyntheticVocabulary.Create(hp.VocabSize), new RandomLlamaWeights(hp, 1), opts.Type).Write(path);
    Console.WriteLine($"wrote {path} ({new FileInfo(path).Length / 1e6:F0} MB) in {sw.Elapsed.TotalSeconds:F1} s");
}

// A fixed context size, so that the warm-up below creates each generator's final context (a meta-prompt is far
// shorter than the room made for it).
const int MetaPromptRoom = 2048;
var promptRoom = opts.Prompts == "meta" ? MetaPromptRoom : opts.PromptTokens;
using var model = LlamaModel.Load(path, new LlamaOptions { Threads = opts.Threads, ContextSize = promptRoom + opts.Candidates * (opts.Tokens + 1) + 256 });
Console.WriteLine($"native llama.cpp: {Glov.LlamaCpp.Native.LlamaNative.LoadedLlamaPath()}");
var vocabSize = model.Handle.Vocab.Count;
var bos = (int)(model.Handle.Vocab.BOS ?? throw new InvalidOperationException("the model has no BOS token"));

var rng = new Random(42);
int[] RandomPrompt(int length, int[]? prefix = null)
{
    var p = new List<int>(prefix ?? [bos]);
    while (p.Count < length)
        p.Add(rng.Next(300, Math.Min(vocabSize, 128_000))); // ordinary tokens only: no control tokens
    return [.. p];
}
int[] ChatTokens(IReadOnlyList<ChatMessage> messages) => [.. model.TokenizeChat(ChatFormatter.Format(model, messages))];
int SharedPrefix(int[] a, int[] b) => a.Zip(b).TakeWhile(x => x.First == x.Second).Count();

// The step's prompt and the next step's, which shares a leading part with it.
int[] prompt, next;
if (opts.Prompts == "meta")
{
    var (first, second) = ConsecutiveMetaPrompts.Build();
    (prompt, next) = (ChatTokens(first), ChatTokens(second));
    if (Math.Max(prompt.Length, next.Length) > MetaPromptRoom)
        throw new InvalidOperationException($"meta-prompts of {prompt.Length} and {next.Length} tokens exceed the {MetaPromptRoom} made room for");
    var shared = SharedPrefix(prompt, next);
    var before = SharedPrefix(ChatTokens(ConsecutiveMetaPrompts.InstructionLast(first)), ChatTokens(ConsecutiveMetaPrompts.InstructionLast(second)));
    Console.WriteLine($"meta-prompts (MetaPrompt.Build, ImageNet, step 4 then 5, a new best in between): {prompt.Length} and {next.Length} tokens; " +
                      $"shared prefix {shared} ({100.0 * shared / next.Length:F0}% of the next), with the instruction after the lists {before} ({100.0 * before / next.Length:F0}%)");
}
else
{
    prompt = RandomPrompt(opts.PromptTokens);
    next = RandomPrompt(opts.PromptTokens, prompt[..(int)(opts.PromptTokens * opts.SharedFraction)]);
}
Console.WriteLine($"model: {Path.GetFileName(path)}: {model.LayerCount} blocks, width {model.Width}, vocab {vocabSize}, {model.Handle.Description}; threads {model.Options.ResolvedThreads}; " +
                  $"{opts.Candidates} candidates × {opts.Tokens} tokens, {prompt.Length}-token prompt");
var sampling = new SamplingSettings { Seed = 1, MaxNewTokens = opts.Tokens };
var direction = Enumerable.Range(0, model.Width).Select(_ => (float)(rng.NextDouble() * 2 - 1) * 0.1f).ToArray();
var layer = SteeringVector.DefaultLayer(model.LayerCount);
SteeringVector Steer(SteeringMode mode) => new(direction, 1f, layer, mode);

// On a machine shared with other work, wall time measures the neighbours as much as us; the CPU time
// of this process (llama.cpp's threads included) measures the work itself. Ratios use CPU time.
var process = Process.GetCurrentProcess();
Console.WriteLine($"  {"measurement",-44} {"wall",9} {"CPU",9}  {"tokens",6}  {"tok/CPU-s",9}");
double Measure(string name, Func<int> run)
{
    process.Refresh();
    var cpu0 = process.TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    var tokens = run();
    var wall = sw.Elapsed.TotalSeconds;
    process.Refresh();
    var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
    Console.WriteLine($"  {name,-44} {wall,8:F2}s {cpu,8:F2}s  {tokens,6}  {tokens / cpu,9:F1}");
    return cpu;
}

// A fresh generator whose context exists already (its creation is not part of a step): warmed with
// exact steering, whose mirror sequences need the most of a context.
LlamaGenerator Warm(bool reuse = true, bool oneDecode = true)
{
    var g = new LlamaGenerator(model) { ReusePromptCache = reuse, OneDecodeExact = oneDecode };
    g.Generate([bos, 400], opts.Candidates, sampling with { MaxNewTokens = 1 }, Steer(SteeringMode.Exact));
    return g;
}
int Step(LlamaGenerator g, int[] p, SteeringVector? s = null) =>
    g.Generate(p, opts.Candidates, sampling, s).Sum(c => c.CompletionTokens);

// Two interleaved rounds of the main comparisons; the faster of each pair counts.
double floor = double.MaxValue, plain = double.MaxValue, exact = double.MaxValue, exactTwo = double.MaxValue, cached = double.MaxValue;
string? exactPath = null;
for (var round = 1; round <= opts.Rounds; round++)
{
    floor = Math.Min(floor, Measure($"llama.cpp floor (raw batched loop, greedy) #{round}", () => Floor.Run(model, prompt, opts.Candidates, opts.Tokens)));
    using (var g = Warm()) plain = Math.Min(plain, Measure($"plain batched step #{round}", () => Step(g, prompt)));
    using (var g = Warm())
    {
        exact = Math.Min(exact, Measure($"exact steering step, one decode #{round}", () => Step(g, prompt, Steer(SteeringMode.Exact))));
        exactPath = g.LastStats!.ExactSteering;
    }
    using (var g = Warm(oneDecode: false))
        exactTwo = Math.Min(exactTwo, Measure($"exact steering step, two decodes #{round}", () => Step(g, prompt, Steer(SteeringMode.Exact))));
    if (opts.Extras)
        using (var g = Warm()) cached = Math.Min(cached, Measure($"cached steering step #{round}", () => Step(g, prompt, Steer(SteeringMode.Cached))));
}
Console.WriteLine($"  ({exactPath})");

// Two consecutive exact-steered steps whose meta-prompts share their leading part (what changes comes last).
double withReuse, withoutReuse;
int reused;
using (var g = Warm())
{
    Step(g, prompt, Steer(SteeringMode.Exact));
    withReuse = Measure("next exact step, reusing the cached prefix", () => Step(g, next, Steer(SteeringMode.Exact)));
    reused = g.LastStats!.ReusedPromptTokens;
}
using (var g = Warm(reuse: false))
{
    Step(g, prompt, Steer(SteeringMode.Exact));
    withoutReuse = Measure("next exact step, prefilled from scratch", () => Step(g, next, Steer(SteeringMode.Exact)));
}

Console.WriteLine();
Console.WriteLine("ratios of CPU time (target in brackets):");
Console.WriteLine($"  exact (one decode) / plain    {exact / plain,6:F2}×  [≤ 1.15]");
Console.WriteLine($"  exact (two decodes) / plain   {exactTwo / plain,6:F2}×");
Console.WriteLine($"  plain / llama.cpp floor       {plain / floor,6:F3}×  [≤ 1.05]");
Console.WriteLine($"  prefix reuse: {reused} of {next.Length} tokens reused ({100.0 * reused / next.Length:F0}%), " +
                  $"exact step {withoutReuse:F2} s → {withReuse:F2} s CPU, saved {withoutReuse - withReuse:F2} s");
if (!opts.Extras)
{
    Console.WriteLine($"  peak memory (VmHWM)           {PeakMemoryMb():F0} MB");
    return;
}

// Recompute is quadratic (~every token re-runs the whole sequence): measure a few tokens and
// extrapolate by the tokens it would have to process for the full step.
double recomputeMeasured;
using (var g = Warm())
{
    var few = sampling with { MaxNewTokens = opts.RecomputeTokens };
    recomputeMeasured = Measure($"recompute, {opts.RecomputeCandidates} cand. × {opts.RecomputeTokens} tok (measured)",
        () => g.Generate(prompt, opts.RecomputeCandidates, few, Steer(SteeringMode.Recompute)).Sum(c => c.CompletionTokens));
}
long Processed(int candidates, int tokens) => candidates * Enumerable.Range(0, tokens).Sum(t => (long)(prompt.Length + t));
var recompute = recomputeMeasured * Processed(opts.Candidates, opts.Tokens) / Processed(opts.RecomputeCandidates, opts.RecomputeTokens);
Console.WriteLine($"  {"recompute full step (extrapolated)",-44} {"",9} {recompute,8:F0}s");

var naive = Measure("naive: one candidate after another", () =>
{
    using var g = Warm(reuse: false);
    var n = 0;
    for (var i = 0; i < opts.Candidates; i++)
        n += g.Generate(prompt, 1, sampling with { Seed = (ulong)i }).Single().CompletionTokens;
    return n;
});

var prefill = Measure($"prefill alone ({prompt.Length} tokens, 1 new token)", () =>
{
    using var g = Warm(reuse: false);
    return g.Generate(prompt, 1, sampling with { MaxNewTokens = 1 }).Single().CompletionTokens;
});

Console.WriteLine($"  cached / plain                {cached / plain,6:F2}×");
Console.WriteLine($"  recompute / exact             {recompute / exact,6:F1}×  [≥ 30] (recompute extrapolated)");
Console.WriteLine($"  naive / plain batched         {naive / plain,6:F2}×  [≥ 1.4]");
Console.WriteLine($"  prefix reuse expected to save ≈ {prefill * reused / prompt.Length:F2} s (prefill {prefill:F2} s × reused share)");
Console.WriteLine($"  peak memory (VmHWM)           {PeakMemoryMb():F0} MB");

static double PeakMemoryMb() =>
    File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).First();

/// <param name="Model">An existing GGUF to measure (e.g. from <c>glov fixture llama3</c>) instead of a generated one.</param>
/// <param name="Extras">Also cached, recompute, one-after-another and prefill alone (off: the main comparisons only).</param>
/// <param name="Prompts">random: <see cref="PromptTokens"/> random tokens, the next step's sharing <see cref="SharedFraction"/>
/// of them; meta: two consecutive steps' meta-prompts from MetaPrompt in the model's chat template.</param>
internal sealed record Args(string Shape, GgmlType Type, string Dir, int? Threads, int Candidates, int Tokens, int PromptTokens,
    int RecomputeCandidates, int RecomputeTokens, double SharedFraction, string? Model = null, int Rounds = 2, bool Extras = true,
    string Prompts = "random")
{
    public static Args Parse(string[] args)
    {
        var a = new Args("0.5b", GgmlType.F16, Path.Combine(Path.GetTempPath(), "glov-bench"), null, 10, 50, 600, 2, 3, 0.8);
        for (var i = 0; i < args.Length; i += 2)
        {
            var v = args[i + 1];
            a = args[i] switch
            {
                "--shape" => a with { Shape = v },
                "--model" => a with { Model = v },
                "--rounds" => a with { Rounds = int.Parse(v) },
                "--extras" => a with { Extras = bool.Parse(v) },
                "--type" => a with { Type = Enum.Parse<GgmlType>(v, ignoreCase: true) },
                "--dir" => a with { Dir = v },
                "--threads" => a with { Threads = int.Parse(v) },
                "--candidates" => a with { Candidates = int.Parse(v) },
                "--tokens" => a with { Tokens = int.Parse(v) },
                "--prompt-tokens" => a with { PromptTokens = int.Parse(v) },
                "--recompute-candidates" => a with { RecomputeCandidates = int.Parse(v) },
                "--recompute-tokens" => a with { RecomputeTokens = int.Parse(v) },
                "--shared-fraction" => a with { SharedFraction = double.Parse(v, CultureInfo.InvariantCulture) },
                "--prompts" => v is "random" or "meta" ? a with { Prompts = v } : throw new ArgumentException($"--prompts: random or meta, got {v}"),
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return a;
    }
}

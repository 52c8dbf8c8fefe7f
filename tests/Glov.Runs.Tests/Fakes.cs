using Glov.Core.Optimization;
using Glov.Core.Prompting;
using Glov.Core.Proposing;
using Glov.Core.Scoring;
using Glov.Core.Templates;

namespace Glov.Runs.Tests;

/// <summary>Proposes from a script: completion i of a request is <c>script(request, i)</c>, of a 10-token prompt
/// of which <c>reuse(request)</c> tokens came from a cache (null: not said).</summary>
internal sealed class FakeProposer(Func<ProposalRequest, int, string> script, bool steers = false, int? maxCandidates = null,
    Func<ProposalRequest, int?>? reuse = null) : IPromptProposer
{
    public int? MaxCandidates => maxCandidates;

    public List<ProposalRequest> Requests { get; } = [];

    public string Name => "fake";

    public bool SupportsSteering => steers;

    public Task<IReadOnlyList<Completion>> ProposeAsync(ProposalRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Requests.Add(request);
        return Task.FromResult<IReadOnlyList<Completion>>(
            Enumerable.Range(0, request.Count).Select(i => new Completion(script(request, i), 10, 5, FinishReason.Stop, reuse?.Invoke(request))).ToList());
    }

    /// <summary>Deterministic in the step seed and the meta-prompt, so a resumed run that rebuilt a
    /// different history would see different completions.</summary>
    public static FakeProposer Deterministic(bool steers = false) => new((request, i) =>
    {
        var h = request.Sampling.Seed ^ Stable(string.Concat(request.Messages.Select(m => m.Content))) ^ (ulong)(i * 7919);
        string[] words = ["photo", "sketch", "painting", "detailed", "blurry", "bright", "dark", "small", "large", "close-up"];
        var a = words[(int)(h % 10)];
        var b = words[(int)(h / 10 % 10)];
        return (h / 100 % 5) switch
        {
            0 => "no placeholder at all",
            1 => $"Here is a new prompt template: \"A {a} {b} of a {{category}}.\"",
            _ => $"A {a} {b} of a <category>.",
        };
    }, steers);

    public static ulong Stable(string text)
    {
        var h = 1469598103934665603UL;
        foreach (var c in text)
            h = (h ^ c) * 1099511628211UL;
        return h;
    }
}

/// <summary>Scores by a fixed rule over the text; logs every template it scores.</summary>
internal sealed class FakeFitness(Func<string, double> rule) : IFitness
{
    public static readonly string[] Classes = ["cat", "dog", "fox", "owl"];

    public List<string> Scored { get; } = [];

    public List<int> BatchSizes { get; } = [];

    /// <summary>Runs before each batch is scored (a test can cancel or crash here).</summary>
    public Action<int>? BeforeBatch { get; set; }

    public string MetricName => "Accuracy";

    public PromptKind Kind => PromptKind.ClassTemplate;

    public string? Admit(Template template) => template.Text.Length > 60 ? "longer than 60 characters" : null;

    public Task<IReadOnlyList<FitnessResult>> ScoreAsync(IReadOnlyList<Template> templates, CancellationToken cancellationToken = default,
        IProgress<Glov.Core.Optimization.WorkProgress>? progress = null)
    {
        BeforeBatch?.Invoke(BatchSizes.Count);
        cancellationToken.ThrowIfCancellationRequested();
        BatchSizes.Add(templates.Count);
        Scored.AddRange(templates.Select(t => t.Text));
        return Task.FromResult<IReadOnlyList<FitnessResult>>(templates.Select(t => Result(rule(t.Text))).ToList());
    }

    public Task<FitnessResult> ScoreEnsembleAsync(IReadOnlyList<Template> ensemble, CancellationToken cancellationToken = default) =>
        Task.FromResult(Result(ensemble.Max(t => rule(t.Text))));

    private static FitnessResult Result(double score)
    {
        var correct = (int)Math.Round(score / 25);
        return new FitnessResult(score, Classes.Select((c, i) => new ClassHits(c, i < correct ? 1 : 0, 1)).ToList());
    }

    /// <summary>Multiples of 25 from a hash of the text: ties are common, as on a 4-image train set.</summary>
    public static FakeFitness Hashed() => new(text => FakeProposer.Stable(text) % 5 * 25.0);
}

/// <summary>H(text): a small vector from the text's characters; counts calls per text.</summary>
internal sealed class FakeEmbedder : ITextEmbedder
{
    public Dictionary<string, int> Calls { get; } = [];

    public int LayerCount => 8;

    public int Width => 4;

    public Task<float[]> EmbedAsync(string text, int layer, CancellationToken cancellationToken = default)
    {
        Calls[text] = Calls.GetValueOrDefault(text) + 1;
        return Task.FromResult(Of(text, layer));
    }

    public static float[] Of(string text, int layer) =>
        [text.Length, text.Count(c => c == 'a'), text.Count(char.IsUpper), layer];
}

internal sealed class ManualTime : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(_ticks);

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}

internal static class Settings
{
    public static OptimizerSettings Default(int steps = 4, int candidates = 5) =>
        new(new TaskDescription("toy", "Four animals.", FakeFitness.Classes, "fake-vlm"), Template.Create("A photo of a <category>."))
        {
            Steps = steps,
            Candidates = candidates,
            Guidance = new GuidanceSettings(Enabled: false),
            Seed = 42,
        };
}

/// <summary>A temporary folder removed after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("glov-test-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}

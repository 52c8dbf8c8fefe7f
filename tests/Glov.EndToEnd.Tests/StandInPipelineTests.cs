using Glov.Core.Proposing;
using Glov.Reports.Evaluation;
using Glov.Runs;

namespace Glov.EndToEnd.Tests;

/// <summary>
/// The whole pipeline on real engines with stand-in models: stories260K converted to GGUF proposes (with
/// guidance forced on), the tiny random-weight CLIP scores few-shot CIFAR-10 from the shared folder, then
/// evaluate and report. The accuracies are meaningless; the test checks that every stage ran and recorded
/// what it should.
/// </summary>
public sealed class StandInPipelineTests
{
    [Fact]
    public async Task Optimize_evaluate_and_report_on_CIFAR10_with_stories260K_and_the_fixture_CLIP()
    {
        using var ws = new Workspace();
        var gguf = ws.PathOf("models/stories260K.gguf");
        Directory.CreateDirectory(ws.PathOf("models"));
        var convert = await ws.Run("convert", "llama2c", SharedAssets.Require("models/stories260K/stories260K.bin"),
            SharedAssets.Require("models/stories260K/tok512.bin"), gguf, "--chat-template", "chatml");
        Assert.True(convert.ExitCode == 0, convert.Stderr);
        var fixture = await ws.Run("vlm", "make-fixture", "--out", ws.PathOf("models/clip"), "--bpe", SharedAssets.Require("models/clip-bpe/bpe_simple_vocab_16e6.txt.gz"));
        Assert.True(fixture.ExitCode == 0, fixture.Stderr);
        var config = ws.Write("run.yaml", $$"""
            name: e2e
            seed: 3
            task:
              dataset: CIFAR-10
              description: Small colour photos of everyday objects and animals.
              shots: 2
              # stories260K never writes a placeholder; these give guidance a pair to steer with.
              extra_seed_templates: ["a blurry photo of a {}.", "art of the {}.", "a close-up photo of the {}."]
            optimizer: {steps: 3, candidates: 4}
            sampling: {max_new_tokens: 32}
            guidance: {enabled: true, force: true, mode: exact}
            evaluation: {test_limit: 50}
            proposer: {kind: llama, model: models/stories260K.gguf}
            fitness: {kind: clip, model: models/clip, dataset: {{SharedAssets.Require("datasets/cifar10")}}, cache_dir: cache}
            """);

        var optimize = await ws.Run("optimize", "--config", config);
        Assert.True(optimize.ExitCode == 0, optimize.Stderr);
        Assert.Contains("budget   3 steps x 4 candidates", optimize.Stderr);
        var evaluate = await ws.Run("evaluate", "e2e", "--runs-dir", ws.PathOf("runs"));
        Assert.True(evaluate.ExitCode == 0, evaluate.Stderr);
        var report = await ws.Run("report", "e2e", "--runs-dir", ws.PathOf("runs"), "--notice", "stand-in models: accuracies are meaningless");
        Assert.True(report.ExitCode == 0, report.Stderr);

        using var journal = SqliteRunJournal.Open(ws.PathOf("runs/e2e/journal.db"), readOnly: true);
        var recorded = journal.Recorded;
        Assert.Equal(4, recorded.Step(-1)!.Scores.Count);
        for (var step = 0; step < 3; step++)
        {
            var s = recorded.Step(step)!;
            Assert.True(s.Complete);
            Assert.Equal(4, s.Completions!.Count);
            Assert.All(s.Completions, c => Assert.True(c.CompletionTokens is > 0 and <= 32));
            // Forced guidance: the extra seeds give a pair before the first step, so every step is steered
            // at stories260K's default layer round(17/32 · 5) = 3.
            var guidance = s.Start!.Guidance!;
            Assert.True(guidance.Norm > 0);
            Assert.Equal(3, guidance.Layer);
            Assert.Equal(SteeringMode.Exact, guidance.Mode);
            Assert.All(s.Candidates!, c => Assert.True(c.Template is not null ^ c.Reason is not null));
        }
        Assert.NotNull(recorded.Final);
        Assert.InRange(recorded.Final!.Ensemble.Count, 1, 3);

        var evaluation = ReportFiles.ReadEvaluation(ws.PathOf("runs/e2e"))!;
        Assert.Equal(50, evaluation.TestImages);
        Assert.Equal(5, evaluation.Results.Count); // GLOV, photo-of, CLIP's ensemble, random descriptors, seed
        Assert.All(evaluation.Results, r => Assert.InRange(r.TestScore, 0, 100));
        Assert.Equal(50, evaluation.Results[0].TestImages);

        var html = File.ReadAllText(ws.PathOf("runs/e2e/report.html"));
        Assert.Contains("stand-in models: accuracies are meaningless", html);
        Assert.Contains("Guidance switched on at step 1.", html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<circle[^>]*><title>best candidate"));
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(html, "<circle[^>]*><title>steering norm").Count);
        Assert.Contains("id=\"test-table\"", html);
        var candidates = recorded.Steps.Values.Sum(s => s.Candidates?.Count ?? 0);
        Assert.True(html.Contains($"<p>{candidates} answers"), html[html.IndexOf("All candidates", StringComparison.Ordinal)..][..200]);
    }
}

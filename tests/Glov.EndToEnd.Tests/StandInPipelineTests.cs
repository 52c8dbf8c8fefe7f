using System.Text.RegularExpressions;
using Glov.Core.Proposing;
using Glov.Reports.Evaluation;
using Glov.Runs;

namespace Glov.EndToEnd.Tests;

/// <summary>
/// The whole pipeline on real engines with stand-in models: the template bigram GGUF (<c>glov fixture llm</c>)
/// proposes, the tiny random-weight CLIP scores few-shot CIFAR-10 from the shared folder, then evaluate and
/// report. The accuracies are meaningless; the test checks that every stage ran and did its job: candidates
/// parse and are scored, guidance switches on once one beats the seed, and the selection is not the seed.
/// </summary>
public sealed class StandInPipelineTests
{
    private static async Task<string> StandIns(Workspace ws)
    {
        var llm = await ws.Run("fixture", "llm", ws.PathOf("models/template-bigram.gguf"), "--corpus", SharedAssets.RepositoryPath("data/templates"));
        Assert.True(llm.ExitCode == 0, llm.Stderr);
        var fixture = await ws.Run("vlm", "make-fixture", "--out", ws.PathOf("models/clip"), "--bpe", SharedAssets.Require("models/clip-bpe/bpe_simple_vocab_16e6.txt.gz"));
        Assert.True(fixture.ExitCode == 0, fixture.Stderr);
        return ws.Write("run.yaml", $$"""
            name: e2e
            runs_dir: runs
            seed: 3
            task:
              dataset: CIFAR-10
              description: Small colour photos of everyday objects and animals.
              shots: 4
            optimizer: {steps: 4, candidates: 6}
            sampling: {max_new_tokens: 32}
            guidance: {enabled: true, mode: exact}
            evaluation: {test_limit: 50}
            proposer: {kind: llama, model: models/template-bigram.gguf}
            fitness: {kind: clip, model: models/clip, dataset: {{SharedAssets.Require("datasets/cifar10")}}, cache_dir: cache}
            """);
    }

    [Fact]
    public async Task Optimize_evaluate_and_report_on_CIFAR10_with_the_stand_in_LLM_and_the_fixture_CLIP()
    {
        using var ws = new Workspace();
        var config = await StandIns(ws);

        var optimize = await ws.Run("optimize", "--config", config);
        Assert.True(optimize.ExitCode == 0, optimize.Stderr);
        Assert.Contains("budget   4 steps x 6 candidates", optimize.Stderr);
        // Progress as a person reading a log sees it: plain lines, in the order the work happens.
        Assert.DoesNotContain('\u001b', optimize.Stderr);
        var lines = optimize.Stderr.Split('\n');
        int At(string pattern) => Array.FindIndex(lines, l => Regex.IsMatch(l, pattern));
        int[] order =
        [
            At(@"^load +template-bigram\.gguf \d+\.\d/\d+\.\d MiB"),
            At(@"^load +few-shot images 40/40 images"),
            At(@"^  seed score +10/10 classes"),
            At("^seed: "),
            At(@"^  step 1/4 prefill +(\d+)/\1 tokens"),
            At(@"^  step 1/4 generate +\d+ tokens, \d+\.\d tokens/s"),
            At("^step 1/4: "),
        ];
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        // Each candidate is scored on the text tower's 10 class prompts.
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^  step \d/4 score +(\d*0)/\1 classes"));
        var evaluate = await ws.Run("evaluate", "e2e", "--runs-dir", ws.PathOf("runs"));
        Assert.True(evaluate.ExitCode == 0, evaluate.Stderr);
        var report = await ws.Run("report", "e2e", "--runs-dir", ws.PathOf("runs"), "--notice", "stand-in models: accuracies are meaningless");
        Assert.True(report.ExitCode == 0, report.Stderr);

        using var journal = SqliteRunJournal.Open(ws.PathOf("runs/e2e/journal.db"), readOnly: true);
        var recorded = journal.Recorded;
        Assert.Single(recorded.Step(-1)!.Scores);
        var firstSteered = -1;
        for (var step = 0; step < 4; step++)
        {
            var s = recorded.Step(step)!;
            Assert.True(s.Complete);
            Assert.Equal(6, s.Completions!.Count);
            Assert.All(s.Completions, c => Assert.True(c.CompletionTokens is > 0 and <= 32));
            Assert.All(s.Candidates!, c => Assert.True(c.Template is not null ^ c.Reason is not null));
            if (s.Start!.Guidance is { } guidance)
            {
                // The stand-in's default layer: round(17/32 · 4) = 2.
                Assert.Equal(2, guidance.Layer);
                Assert.True(guidance.Norm > 0);
                firstSteered = firstSteered < 0 ? step : firstSteered;
            }
        }
        // The stand-in writes templates: most answers parse, and guidance switches on once one beats the seed.
        var candidates = recorded.Steps.Values.SelectMany(s => s.Candidates ?? []).ToList();
        Assert.True(candidates.Count(c => c.Template is not null) >= 8, string.Join(" | ", candidates.Select(c => c.Fragment)));
        Assert.True(firstSteered > 0, "guidance never switched on");
        Assert.NotNull(recorded.Final);
        Assert.DoesNotContain(recorded.Final!.Ensemble, t => t.Text == "A photo of a <category>.");

        var evaluation = ReportFiles.ReadEvaluation(ws.PathOf("runs/e2e"))!;
        Assert.Equal(50, evaluation.TestImages);
        Assert.Equal(5, evaluation.Results.Count); // GLOV, photo-of, CLIP's ensemble, random descriptors, seed
        Assert.All(evaluation.Results, r => Assert.InRange(r.TestScore, 0, 100));
        Assert.Equal(50, evaluation.Results[0].TestImages);

        var html = File.ReadAllText(ws.PathOf("runs/e2e/report.html"));
        Assert.Contains("stand-in models: accuracies are meaningless", html);
        Assert.Contains($"Guidance switched on at step {firstSteered + 1}.", html);
        Assert.Contains("id=\"test-table\"", html);
        Assert.True(html.Contains($"<p>{candidates.Count} answers"), html[html.IndexOf("All candidates", StringComparison.Ordinal)..][..200]);

        // Per step the report shows the prompt's length and the share of it the LLM reused, as the journal recorded them.
        var shown = System.Text.RegularExpressions.Regex.Matches(html, "<tr><td class=\"num\">(\\d+)</td>(?:<td[^>]*>.*?</td>){4}<td class=\"num\">(\\d*)</td><td class=\"num\">([\\d.]*)</td>")
            .ToDictionary(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m => (m.Groups[2].Value, m.Groups[3].Value));
        for (var step = 0; step < 4; step++)
        {
            var reuse = recorded.Step(step)!.PromptReuse!;
            Assert.Equal((reuse.PromptTokens.ToString(System.Globalization.CultureInfo.InvariantCulture), (100.0 * reuse.ReusedTokens / reuse.PromptTokens).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)), shown[step + 1]);
        }
        Assert.Contains(Enumerable.Range(1, 3), step => recorded.Step(step)!.PromptReuse!.ReusedTokens > 0);
    }

    [Fact]
    public async Task The_alpha_sweep_cells_differ_and_the_sweep_reports()
    {
        using var ws = new Workspace();
        var config = await StandIns(ws);
        var sweep = await ws.Run("sweep", "--config", config, "--alphas", "1", "0.25", "--name", "sw", "--set", "optimizer.steps=3");
        Assert.True(sweep.ExitCode == 0, sweep.Stderr);
        Assert.DoesNotContain("degenerate", sweep.Stdout + sweep.Stderr);

        string Answers(string cell)
        {
            using var journal = SqliteRunJournal.Open(ws.PathOf($"runs/sw/{cell}/journal.db"), readOnly: true);
            return string.Join("\n", journal.Recorded.Steps.Values.SelectMany(s => s.Completions ?? []).Select(c => c.Text));
        }
        // Same seeds, different α: once guidance is on, the answers part ways.
        Assert.NotEqual(Answers("alpha-1-layer-2"), Answers("alpha-0.25-layer-2"));

        var report = await ws.Run("report", "sw", "--runs-dir", ws.PathOf("runs"));
        Assert.True(report.ExitCode == 0, report.Stderr);
        Assert.Contains("alpha-", File.ReadAllText(report.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1].Trim()));
    }
}

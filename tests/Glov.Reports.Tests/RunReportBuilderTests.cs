using Glov.Core.Journal;
using Glov.Core.Parsing;
using Glov.Core.Proposing;
using Glov.Core.Scoring;
using Glov.Core.Selection;
using Glov.Core.Templates;
using Glov.Reports.Building;
using Glov.Reports.Evaluation;
using Glov.Reports.Model;

namespace Glov.Reports.Tests;

public sealed class RunReportBuilderTests
{
    private static FitnessResult Score(double s) => new(s, []);

    private static RecordedStep Step(int step, StepGuidance? guidance, CandidateRecord[] candidates, params (int Index, double Score)[] scores) =>
        new(step,
            new StepStart(step, [new ChatMessage(ChatRole.User, "u")], candidates.Length, new SamplingSettings(), guidance),
            candidates.Select(c => new Completion(c.Fragment, 10, 5, FinishReason.Stop)).ToList(),
            candidates,
            scores.ToDictionary(s => s.Index, s => Score(s.Score)),
            Complete: true);

    private static CandidateRecord Accepted(int i, string t) => new(i, i, t, t, null, null);

    [Fact]
    public void Steps_candidates_guidance_final_and_evaluation_come_from_the_records()
    {
        var manifest = new RunManifest("""{"seed":7,"task":{"dataset":"cifar10"},"guidance":{"alpha":0.5,"enabled":true}}""", "abcdef0123456789", 7, "1.0", DateTimeOffset.Parse("2026-11-28T10:00:00Z"));
        var seed = new RecordedStep(-1, null, null, [Accepted(0, "A photo of a <category>.")], new Dictionary<int, FitnessResult> { [0] = Score(20) }, true);
        var step0 = Step(0, null, [Accepted(0, "a <category>"), new(1, 1, "no placeholder here", null, RejectionReason.NoPlaceholder, null), Accepted(2, "b <category>")], (0, 30), (2, 40));
        var step1 = Step(1, new StepGuidance("b <category>", "a <category>", 2.5, 0.5f, 3, SteeringMode.Exact),
            [Accepted(0, "c <category>"), new(1, 1, "b <category>", null, RejectionReason.Duplicate, "scored at step 0")], (0, 50));
        var final = new FinalResult([Template.Create("c <category>")], 1, Score(50), SelectionMode.PerStepEnsemble);
        var recorded = new RecordedRun(new Dictionary<int, RecordedStep> { [-1] = seed, [0] = step0, [1] = step1 }, final);
        var evaluation = new RunEvaluation("test", 100,
            [new StepEnsembleScore(0, ["b <category>", "a <category>"], 35), new StepEnsembleScore(1, ["c <category>"], 50)],
            [new TestResult("GLOV", 1, 50, 45, 100)]);

        var report = RunReportBuilder.Build("run", manifest, recorded, evaluation, notices: ["stand-in"]);

        Assert.Equal(
            [
                new StepSummary(0, 20, 20, null, null),
                new StepSummary(1, 40, 35, 35, null) { GeneratedTokens = 15, PromptTokens = 10, MetaPrompt = "[user]\nu" },
                new StepSummary(2, 50, 50, 50, 2.5) { GuidancePair = ("b <category>", "a <category>"), GeneratedTokens = 10, PromptTokens = 10, MetaPrompt = "[user]\nu" },
            ],
            report.Steps);
        Assert.Equal(2, report.GuidanceOnStep);
        Assert.Equal(6, report.Candidates.Count);
        Assert.Equal(new CandidateRow(0, 0, "A photo of a <category>.", "A photo of a <category>.", 20, null), report.Candidates[0]);
        Assert.Equal("no placeholder", report.Candidates[2].Rejection);
        Assert.Null(report.Candidates[2].Score);
        Assert.Equal("duplicate: scored at step 0", report.Candidates[5].Rejection);
        Assert.Equal([new RejectionCount("duplicate", 1), new RejectionCount("no placeholder", 1)], report.Rejections);
        Assert.Equal((2, 50.0), (report.Final!.Step, report.Final.TrainScore));
        Assert.Equal(["c <category>"], report.Final.Templates);
        Assert.Single(report.TestResults);
        Assert.Contains(new ReportSetting("guidance.alpha", "0.5"), report.Settings);
        Assert.Contains(new ReportSetting("task.dataset", "cifar10"), report.Settings);
        Assert.Contains(new ReportSetting("config hash", "abcdef012345"), report.Settings);
        Assert.Equal(["stand-in"], report.Notices);
    }

    [Fact]
    public void Rejections_are_counted_per_reason_over_every_step()
    {
        var manifest = new RunManifest("{}", "abcdef0123456789", 7, "1.0", DateTimeOffset.Parse("2026-11-28T10:00:00Z"));
        CandidateRecord Rejected(int i, RejectionReason reason) => new(i, i, $"line {i}", null, reason, "why");
        var seed = new RecordedStep(-1, null, null, [Accepted(0, "A photo of a <category>.")], new Dictionary<int, FitnessResult> { [0] = Score(20) }, true);
        var step0 = Step(0, null, [Accepted(0, "a <category>"), Rejected(1, RejectionReason.Instruction), Rejected(2, RejectionReason.Truncated), Rejected(3, RejectionReason.Talk)], (0, 30));
        var step1 = Step(1, null, [Rejected(0, RejectionReason.Truncated), Rejected(1, RejectionReason.Instruction), Rejected(2, RejectionReason.Truncated), Rejected(3, RejectionReason.TooLong)]);
        var recorded = new RecordedRun(new Dictionary<int, RecordedStep> { [-1] = seed, [0] = step0, [1] = step1 }, null);

        var report = RunReportBuilder.Build("run", manifest, recorded);

        Assert.Equal(
            [new RejectionCount("truncated", 3), new RejectionCount("instruction", 2), new RejectionCount("talk", 1), new RejectionCount("too long", 1)],
            report.Rejections);
    }

    [Fact]
    public void A_step_is_timed_from_its_start_to_its_end_and_its_prompt_and_its_reuse_counted_once()
    {
        var manifest = new RunManifest("{}", "abcdef0123456789", 7, "1.0", DateTimeOffset.Parse("2026-11-28T10:00:00Z"));
        var at = DateTimeOffset.Parse("2026-11-28T10:00:00Z");
        var seed = new RecordedStep(-1, null, null, [Accepted(0, "A photo of a <category>.")], new Dictionary<int, FitnessResult> { [0] = Score(20) }, true) { CompletedAt = at };
        // Two answers to one 10-token prompt: the prompt is prefilled once, so it counts once.
        var done = Step(0, null, [Accepted(0, "a <category>"), Accepted(1, "b <category>")], (0, 30), (1, 40)) with { StartedAt = at.AddSeconds(1), CompletedAt = at.AddSeconds(13.5) };
        done = done with { Completions = [.. done.Completions!.Select(c => c with { ReusedPromptTokens = 4 })] };
        var unfinished = Step(1, null, [Accepted(0, "c <category>")]) with { Complete = false, StartedAt = at.AddSeconds(14) };
        var recorded = new RecordedRun(new Dictionary<int, RecordedStep> { [-1] = seed, [0] = done, [1] = unfinished }, null);

        var steps = RunReportBuilder.Build("run", manifest, recorded).Steps;

        Assert.Equal([null, 12.5, null], steps.Select(s => s.Seconds));
        Assert.Equal([null, 10, 10], steps.Select(s => s.PromptTokens));
        Assert.Equal([null, 10, 5], steps.Select(s => s.GeneratedTokens));
        Assert.Equal([null, 4, null], steps.Select(s => s.ReusedPromptTokens));
    }

    [Fact]
    public void Per_class_test_accuracy_of_seed_and_selection_comes_from_the_evaluation_counts_largest_gain_first()
    {
        var manifest = new RunManifest("{}", "abcdef0123456789", 7, "1.0", DateTimeOffset.Parse("2026-11-28T10:00:00Z"));
        ClassHits[] seed = [new("cat", 3, 10), new("dog", 5, 10), new("ship", 4, 8), new("bird", 0, 0), new("frog", 9, 12)];
        ClassHits[] glov = [new("cat", 7, 10), new("dog", 2, 10), new("ship", 4, 8), new("bird", 0, 0), new("frog", 12, 12)];
        var evaluation = new RunEvaluation("test", 40, [],
        [
            new TestResult("GLOV", 3, 50, 55, 40, Key: TestResult.GlovKey, PerClass: glov),
            new TestResult("photo of", 1, 20, 30, 40, Key: "photo-of", PerClass: [new("cat", 10, 10)]),
            new TestResult("seed template", 1, 20, 40, 40, Key: TestResult.SeedKey, PerClass: seed),
        ]);

        var report = RunReportBuilder.Build("run", manifest, RecordedRun.Empty, evaluation);

        // By hand: frog 75 → 100 (+25), cat 30 → 70 (+40), ship 50 → 50, dog 50 → 20 (−30); bird has no test image.
        Assert.Equal(
            [new ClassChange("cat", 30, 70, 10), new ClassChange("frog", 75, 100, 12), new ClassChange("ship", 50, 50, 8), new ClassChange("dog", 50, 20, 10)],
            report.PerClass);
        Assert.Equal([40.0, 25, 0, -30], report.PerClass.Select(c => c.Change));
        // An evaluation from before per-class counts were kept has no per-class table.
        var old = evaluation with { Results = [.. evaluation.Results.Select(r => r with { PerClass = null })] };
        Assert.Empty(RunReportBuilder.Build("run", manifest, RecordedRun.Empty, old).PerClass);
    }

    [Fact]
    public void An_evaluation_file_written_before_per_class_counts_reads_back_and_a_new_one_keeps_them()
    {
        var run = Directory.CreateTempSubdirectory("glov-eval-");
        try
        {
            File.WriteAllText(Path.Combine(run.FullName, ReportFiles.EvaluationFile), """
                {"split": "test", "test_images": 20, "step_ensembles": [],
                 "results": [{"method": "GLOV", "template_count": 1, "train_score": 50, "test_score": 45, "test_images": 20, "key": "glov"}]}
                """);
            var old = ReportFiles.ReadEvaluation(run.FullName)!;
            Assert.Equal(new TestResult("GLOV", 1, 50, 45, 20, Key: "glov"), old.Results.Single());

            ReportFiles.WriteEvaluation(run.FullName, old with { Results = [old.Results[0] with { PerClass = [new("cat", 3, 10), new("dog & co", 0, 10)] }] });
            var back = ReportFiles.ReadEvaluation(run.FullName)!.Results.Single();
            Assert.Equal([new ClassHits("cat", 3, 10), new ClassHits("dog & co", 0, 10)], back.PerClass);
            Assert.Contains("\"per_class\": [", File.ReadAllText(Path.Combine(run.FullName, ReportFiles.EvaluationFile)));
        }
        finally
        {
            run.Delete(recursive: true);
        }
    }

    [Fact]
    public void Evaluation_and_sweep_files_round_trip_and_a_corrupt_one_is_a_clear_error()
    {
        var sweepFolder = Directory.CreateTempSubdirectory("glov-sweep-");
        try
        {
            var run = Directory.CreateDirectory(Path.Combine(sweepFolder.FullName, "alpha-0.5"));
            var evaluation = new RunEvaluation("test", 10, [new StepEnsembleScore(0, ["a <category>"], 10)], [new TestResult("GLOV", 1, 10, 20, 10), new TestResult("seed prompt", 1, 60, 75, 8, new SafetyTestRates(25, 12.5))]);
            var grid = new SweepGrid([new SweepCell(0.5, 3, "alpha-0.5", 10, 10, null, true)]);

            ReportFiles.WriteEvaluation(run.FullName, evaluation);
            ReportFiles.WriteSweep(sweepFolder.FullName, grid);

            var back = ReportFiles.ReadEvaluation(run.FullName)!;
            Assert.Equal(evaluation.Results, back.Results);
            Assert.Equal(new SafetyTestRates(25, 12.5), back.Results[1].Safety);
            Assert.Contains("\"attack_success_rate\": 25", File.ReadAllText(Path.Combine(run.FullName, ReportFiles.EvaluationFile)));
            Assert.Equal(["a <category>"], back.StepEnsembles.Single().Templates);
            Assert.Equal(grid.Cells, ReportFiles.ReadSweepAround(run.FullName)!.Cells);
            Assert.Equal(grid.Cells, ReportFiles.ReadSweepAround(sweepFolder.FullName)!.Cells);

            File.WriteAllText(Path.Combine(run.FullName, ReportFiles.EvaluationFile), "{ not json");
            var error = Assert.Throws<Glov.Core.GlovUserException>(() => ReportFiles.ReadEvaluation(run.FullName));
            Assert.Contains("evaluation.json: malformed", error.Message);
        }
        finally
        {
            sweepFolder.Delete(recursive: true);
        }
    }
}

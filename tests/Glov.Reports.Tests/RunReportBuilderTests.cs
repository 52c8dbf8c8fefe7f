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
                new StepSummary(1, 40, 35, 35, null) { GeneratedTokens = 15, MetaPrompt = "[user]\nu" },
                new StepSummary(2, 50, 50, 50, 2.5) { GuidancePair = ("b <category>", "a <category>"), GeneratedTokens = 10, MetaPrompt = "[user]\nu" },
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

using Glov.Core;
using Glov.Core.Journal;
using Glov.Core.Optimization;
using Glov.Core.Scoring;
using Glov.Core.Templates;
using Glov.Generative.Safety;
using Glov.Reports.Evaluation;
using Glov.Reports.Model;

namespace Glov.Cli.Evaluation;

/// <summary>
/// method.md §4 after the loop: every step's top-k ensemble on the train set (the curve final selection
/// compared), then the selected ensemble once on the test split beside the baselines. Every method is scored
/// by the same two fitnesses, so all share one feature cache (images are encoded once) and land in one table.
/// </summary>
public static class Evaluator
{
    public static async Task<RunEvaluation> EvaluateAsync(
        RecordedRun recorded, PromptKind kind, int ensembleSize, IFitness train, IFitness test,
        IReadOnlyList<Baseline> baselines, CancellationToken ct, IProgress<WorkProgress>? progress = null)
    {
        var final = recorded.Final ?? throw new GlovUserException("the run has no final selection yet; finish it with glov resume first");

        var tops = recorded.Steps.Values.Where(s => s.Step >= 0 && s.Candidates is not null).OrderBy(s => s.Step)
            .Select(step => (step.Step, Templates: step.Candidates!
                .Where(c => c.Template is not null && step.Scores.ContainsKey(c.Index))
                .OrderByDescending(c => step.Scores[c.Index].Score).ThenBy(c => c.Index)
                .Take(ensembleSize)
                .Select(c => Template.Create(c.Template!, kind))
                .ToList()))
            .Where(t => t.Templates.Count > 0)
            .ToList();
        // Each step's top-k on train, every method on test, and every method but GLOV (scored during the run) on train.
        var ensembles = new EnsembleCount(tops.Count + 2 * (baselines.Count + 1) - 1, progress);

        var steps = new List<StepEnsembleScore>();
        foreach (var (step, top) in tops)
        {
            var score = await ensembles.Scored(train.ScoreEnsembleAsync(top, ct)).ConfigureAwait(false);
            steps.Add(new StepEnsembleScore(step, top.Select(t => t.Text).ToList(), score.Score));
        }

        var origin = final.Step switch
        {
            null => $"global top-{final.Ensemble.Count}",
            < 0 => $"top-{final.Ensemble.Count} of the seed templates",
            { } s => $"top-{final.Ensemble.Count} of step {s + 1}",
        };
        // The journal keeps only the texts, so it reads a system prompt back as free text; the run's kind is known here.
        var methods = new List<Baseline> { new(Baseline.GlovKey, $"GLOV ({origin})", final.Ensemble.Select(t => Template.Create(t.Text, kind)).ToList()) };
        methods.AddRange(baselines);
        var results = new List<TestResult>();
        var images = 0;
        foreach (var method in methods)
        {
            var onTrain = method == methods[0] ? final.TrainFitness : await ensembles.Scored(train.ScoreEnsembleAsync(method.Templates, ct)).ConfigureAwait(false);
            var onTest = await ensembles.Scored(test.ScoreEnsembleAsync(method.Templates, ct)).ConfigureAwait(false);
            images = onTest.PerClass.Sum(c => c.Total);
            var safety = SafetyRates.TryFromHits(onTest.PerClass) is { } rates ? new SafetyTestRates(rates.AttackSuccessRate, rates.BenignRefusalRate) : null;
            results.Add(new TestResult(method.Method, method.Templates.Count, onTrain.Score, onTest.Score, images, safety, method.Key, onTest.PerClass));
        }
        return new RunEvaluation("test", images, steps, results);
    }

    /// <summary>Counts ensembles scored and reports each (stage Score, subject "evaluation").</summary>
    private sealed class EnsembleCount(int total, IProgress<WorkProgress>? progress)
    {
        private int _done;

        public async Task<FitnessResult> Scored(Task<FitnessResult> scoring)
        {
            if (_done == 0)
                Report();
            var result = await scoring.ConfigureAwait(false);
            _done++;
            Report();
            return result;
        }

        private void Report() => progress?.Report(new WorkProgress(WorkStage.Score, _done, total, WorkUnit.Ensembles) { Subject = "evaluation" });
    }
}

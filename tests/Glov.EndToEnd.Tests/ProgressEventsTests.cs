using Glov.Cli.Commands;
using Glov.Cli.Composition;
using Glov.Cli.Config;
using Glov.Core.Journal;
using Glov.Core.Optimization;
using Glov.Runs;

namespace Glov.EndToEnd.Tests;

/// <summary>
/// What a person watching a run is told, on real engines: the template bigram stand-in (<c>glov fixture llm</c>) on
/// llama.cpp proposes, the keyword fitness scores. Every report arrives in the order the work happens (the model's
/// load, then the seed's scoring, then per step prefill, generation, scoring, then the step's summary), and the
/// counts are those the journal records for the same run.
/// </summary>
public sealed class ProgressEventsTests
{
    private const int Steps = 2;
    private const int Candidates = 4;
    private const int MaxTokens = 16;
    private const int FewShotImages = 2 * 10; // shots × classes

    [Fact]
    public async Task A_run_reports_loading_prefill_generation_and_scoring_in_order_with_the_journal_s_counts()
    {
        using var ws = new Workspace();
        var model = ws.PathOf("models/bigram.gguf");
        var llm = await ws.Run("fixture", "llm", model, "--corpus", SharedAssets.RepositoryPath("data/templates"));
        Assert.True(llm.ExitCode == 0, llm.Stderr);
        var path = ws.Write("run.yaml", $$"""
            seed: 5
            task: {dataset: CIFAR-10, description: Small colour photos., shots: 2}
            optimizer: {steps: {{Steps}}, candidates: {{Candidates}}}
            sampling: {max_new_tokens: {{MaxTokens}}}
            guidance: {enabled: false}
            proposer: {kind: llama, model: models/bigram.gguf}
            fitness: {kind: keyword, classes: [a, b, c, d, e, f, g, h, i, j]}
            """);
        var config = RunConfig.Resolve(YamlConfig.Load(path), path, ws.Root, ComponentRegistry.Default);
        var events = new List<object>();
        void Add(object e)
        {
            lock (events)
                events.Add(e);
        }
        var loading = new SynchronousProgress<WorkProgress>(Add);
        var proposer = await config.CreateProposer(default, loading);
        var fitness = await config.CreateFitness(default, loading);
        try
        {
            using var journal = SqliteRunJournal.Create(ws.PathOf("journal.db"),
                new RunManifest(config.Resolved.ToJsonString(), config.Hash, config.Seed, "test", DateTimeOffset.UtcNow));
            var optimizer = new Optimizer(proposer.Proposer, proposer.Embedder, fitness.Fitness, journal, config.For(fitness));
            optimizer.Working += Add;
            optimizer.Progress += Add;
            await optimizer.RunAsync();
        }
        finally
        {
            await RunExecutor.DisposeAsync(proposer.Proposer, proposer.Embedder, fitness.Fitness);
        }
        using var reader = SqliteRunJournal.Open(ws.PathOf("journal.db"), readOnly: true);
        var recorded = reader.Recorded;

        // The model's load comes first, in bytes of the file, ending with all of it.
        var load = events.TakeWhile(e => e is WorkProgress).Cast<WorkProgress>().ToList();
        Assert.NotEmpty(load);
        Assert.All(load, w => Assert.Equal((WorkStage.Load, WorkUnit.Bytes, "bigram.gguf"), (w.Stage, w.Unit, w.Subject)));
        AssertRising(load);
        Assert.Equal((new FileInfo(model).Length, new FileInfo(model).Length), (load[^1].Done, load[^1].Total));

        // Then the seed and each step: its in-step reports, then its summary.
        var rest = events.Skip(load.Count).ToList();
        var ends = rest.Select((e, i) => (e, i)).Where(x => x.e is OptimizerProgress).Select(x => x.i).ToList();
        Assert.Equal(1 + Steps, ends.Count);
        for (var k = 0; k < ends.Count; k++)
        {
            var step = k - 1;
            var summary = (OptimizerProgress)rest[ends[k]];
            Assert.Equal(step, summary.Step);
            var work = rest.Take(ends[k]).Skip(k == 0 ? 0 : ends[k - 1] + 1).Cast<StepWork>().ToList();
            Assert.All(work, w => Assert.Equal((step, Steps), (w.Step, w.Steps)));
            var record = recorded.Step(step)!;
            var accepted = record.Candidates!.Count(c => c.Template is not null);
            var stages = Collapse(work.Select(w => w.Work.Stage));
            if (step < 0)
            {
                // The seed is scored alone: one template, so the images scored are the few-shot set.
                Assert.Equal([WorkStage.Score], stages);
                Assert.Equal((FewShotImages, FewShotImages), Final(work, WorkStage.Score));
                continue;
            }
            Assert.Equal(accepted > 0 ? [WorkStage.Prefill, WorkStage.Generate, WorkStage.Score] : [WorkStage.Prefill, WorkStage.Generate], stages);

            var prefill = Of(work, WorkStage.Prefill);
            AssertRising(prefill);
            var promptTokens = record.Completions![0].PromptTokens;
            Assert.Equal((promptTokens, promptTokens), Final(work, WorkStage.Prefill));
            // The first report is what the KV cache already held (at most all but the last token, whose call yields the first new one).
            Assert.InRange(prefill[0].Done, 0, promptTokens - 1);

            var generate = Of(work, WorkStage.Generate);
            AssertRising(generate);
            Assert.Equal(0, generate[0].Done);
            Assert.All(generate.Take(generate.Count - 1), g => Assert.Equal(Candidates * MaxTokens, g.Total));
            var written = record.Completions.Sum(c => c.CompletionTokens);
            Assert.Equal((written, written), Final(work, WorkStage.Generate));
            // One report per token written (and one to start, one to end).
            Assert.Equal(written + 2, generate.Count);

            if (accepted > 0)
                Assert.Equal((accepted * FewShotImages, accepted * FewShotImages), Final(work, WorkStage.Score));
        }
    }

    private static List<WorkProgress> Of(IEnumerable<StepWork> work, WorkStage stage) => work.Select(w => w.Work).Where(w => w.Stage == stage).ToList();

    private static (long Done, long Total) Final(IEnumerable<StepWork> work, WorkStage stage) => Of(work, stage) is [.., var last] ? (last.Done, last.Total) : (-1, -1);

    private static List<WorkStage> Collapse(IEnumerable<WorkStage> stages)
    {
        var collapsed = new List<WorkStage>();
        foreach (var s in stages)
        {
            if (collapsed.Count == 0 || collapsed[^1] != s)
                collapsed.Add(s);
        }
        return collapsed;
    }

    private static void AssertRising(IReadOnlyList<WorkProgress> reports)
    {
        for (var i = 1; i < reports.Count; i++)
            Assert.True(reports[i].Done >= reports[i - 1].Done, $"report {i} went back: {reports[i - 1].Done} → {reports[i].Done}");
        Assert.All(reports, r => Assert.InRange(r.Done, 0, r.Total));
    }
}

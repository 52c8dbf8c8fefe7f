using Glov.Core.Guidance;
using Glov.Core.Journal;
using Glov.Core.Parsing;
using Glov.Core.Prompting;
using Glov.Core.Proposing;
using Glov.Core.Scoring;
using Glov.Core.Selection;
using Glov.Core.Templates;

namespace Glov.Core.Optimization;

/// <summary>
/// The GLOV loop (method.md §1). Each step takes from the journal whatever an earlier session
/// recorded for it (completions, candidates, scores) and computes only the rest, so resuming a
/// killed run neither proposes nor scores anything twice and, with a deterministic proposer,
/// ends exactly where an uninterrupted run would.
/// </summary>
public sealed class Optimizer
{
    private const int SeedStep = -1;

    private readonly IPromptProposer _proposer;
    private readonly ITextEmbedder? _embedder;
    private readonly IFitness _fitness;
    private readonly IRunJournal _journal;
    private readonly OptimizerSettings _settings;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, float[]> _embeddings = new(StringComparer.Ordinal);

    public Optimizer(IPromptProposer proposer, ITextEmbedder? embedder, IFitness fitness, IRunJournal journal,
        OptimizerSettings settings, TimeProvider? time = null)
    {
        _proposer = proposer;
        _embedder = embedder;
        _fitness = fitness;
        _journal = journal;
        _settings = settings;
        _time = time ?? TimeProvider.System;
        Validate(proposer, embedder, fitness, settings);
    }

    /// <summary>Throws for a combination of components and settings the loop cannot run
    /// (callers check before creating a journal).</summary>
    public static void Validate(IPromptProposer proposer, ITextEmbedder? embedder, IFitness fitness, OptimizerSettings settings)
    {
        if (settings.Guidance.Enabled)
        {
            if (!proposer.SupportsSteering)
                throw new GlovUserException($"guidance.enabled: proposer '{proposer.Name}' cannot steer; set guidance.enabled: false or use a proposer with steering");
            if (embedder is null)
                throw new GlovUserException($"guidance.enabled: proposer '{proposer.Name}' provides no text embedder for guidance; set guidance.enabled: false");
            if (settings.Guidance.Layer is { } layer && (layer < 0 || layer >= embedder.LayerCount))
                throw new GlovUserException($"guidance.layer: {layer} is outside the model's blocks 0..{embedder.LayerCount - 1}");
        }
        if (settings.Steps < 0)
            throw new GlovUserException($"optimizer.steps: must be at least 0, got {settings.Steps}");
        if (settings.Candidates < 1)
            throw new GlovUserException($"optimizer.candidates: must be at least 1, got {settings.Candidates}");
        if (proposer.MaxCandidates is { } most && settings.Candidates > most)
            throw new GlovUserException($"optimizer.candidates: {settings.Candidates} is more than proposer '{proposer.Name}' can generate in one step ({most})");
        if (settings.EnsembleSize < 1)
            throw new GlovUserException($"selection.size: must be at least 1, got {settings.EnsembleSize}");
        if (settings.SeedTemplate.Kind != fitness.Kind)
            throw new GlovUserException($"task.kind: the seed is a {settings.SeedTemplate.Kind} prompt, but the fitness scores {fitness.Kind} prompts");
    }

    public event Action<OptimizerProgress>? Progress;

    /// <summary>What the proposer and the fitness report while a step runs (prefill, generation, scoring), with the step.</summary>
    public event Action<StepWork>? Working;

    public async Task<OptimizationResult> RunAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            _journal.SetStatus(RunStatus.Running);
            var result = await RunCoreAsync(cancellationToken).ConfigureAwait(false);
            _journal.SetStatus(RunStatus.Completed, System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(result.StopReason.ToString()));
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _journal.SetStatus(RunStatus.Cancelled);
            throw;
        }
        catch (Exception e)
        {
            _journal.SetStatus(RunStatus.Failed, e.Message);
            throw;
        }
    }

    private async Task<OptimizationResult> RunCoreAsync(CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        var recorded = _journal.Recorded;
        var history = new History();
        var parser = new CandidateParser(_fitness.Kind, _fitness.Admit);

        await ScoreSeedAsync(history, recorded.Step(SeedStep), ct).ConfigureAwait(false);
        Report(SeedStep, history.Count, 0, 0, history, null, null, started, null, recorded.Step(SeedStep)?.Complete == true);

        var proposed = 0;
        var stop = StopReason.StepsDone;
        var stepsCompleted = 0;
        // A recorded final stands only for the steps it was selected from: a resume that adds steps
        // (a larger budget, a run stopped before selecting) selects again.
        var added = recorded.Step(SeedStep)?.Complete != true;
        var freshSteps = 0;
        var freshTime = TimeSpan.Zero;
        TimeSpan? warmUp = null;
        for (var step = 0; step < _settings.Steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            var record = recorded.Step(step);
            // What was proposed is a fact of the run: budgets only decide about steps not yet proposed.
            var count = record?.Completions?.Count ?? CandidatesFor(proposed);
            if (record?.Completions is null)
            {
                if (count <= 0)
                {
                    stop = StopReason.CandidateBudget;
                    break;
                }
                if (_settings.Budget.MaxWallTime is { } limit && _time.GetElapsedTime(started) >= limit)
                {
                    stop = StopReason.WallTimeBudget;
                    break;
                }
            }

            var stepStarted = _time.GetTimestamp();
            var outcome = await RunStepAsync(step, count, record, history, parser, ct).ConfigureAwait(false);
            proposed += count;
            stepsCompleted++;
            if (record?.Complete != true)
            {
                var took = _time.GetElapsedTime(stepStarted);
                // The first fresh step carries the warm-up (model load, first prefill): the ETA leaves it out once another step is measured.
                warmUp ??= took;
                added = true;
                freshSteps++;
                freshTime += took;
            }
            TimeSpan? eta = freshSteps switch
            {
                0 => null,
                1 => freshTime * (_settings.Steps - step - 1),
                _ => (freshTime - warmUp!.Value) / (freshSteps - 1) * (_settings.Steps - step - 1),
            };
            Report(step, outcome.Accepted, outcome.Rejected, proposed, history, outcome.Norm, outcome.Reuse, started, eta, record?.Complete == true);
        }

        var final = !added && recorded.Final is { } kept ? kept : await SelectFinalAsync(history, ct).ConfigureAwait(false);
        return new OptimizationResult(final, history, stepsCompleted, stop);
    }

    private int CandidatesFor(int proposedSoFar) =>
        _settings.Budget.MaxCandidates is { } cap ? Math.Min(_settings.Candidates, cap - proposedSoFar) : _settings.Candidates;

    private async Task ScoreSeedAsync(History history, RecordedStep? record, CancellationToken ct)
    {
        IReadOnlyList<Template> seeds = [_settings.SeedTemplate, .. _settings.ExtraSeeds];
        if (record?.Candidates is null)
            _journal.RecordCandidates(SeedStep, seeds.Select((s, i) => new CandidateRecord(i, i, s.Text, s.Text, null, null)).ToList());
        var scores = new Dictionary<int, FitnessResult>(record?.Scores ?? new Dictionary<int, FitnessResult>());
        var pending = Enumerable.Range(0, seeds.Count).Where(i => !scores.ContainsKey(i)).ToList();
        if (pending.Count > 0)
        {
            var results = await ScoreAsync(pending.Select(i => seeds[i]).ToList(), SeedStep, ct).ConfigureAwait(false);
            var rows = pending.Select((index, j) => (index, results[j])).ToList();
            _journal.RecordScores(SeedStep, rows);
            foreach (var (index, result) in rows)
                scores[index] = result;
        }
        if (record?.Complete != true)
            _journal.RecordStepComplete(SeedStep);
        for (var i = 0; i < seeds.Count; i++)
            history.Add(new ScoredTemplate(seeds[i], scores[i], SeedStep, i));
    }

    private sealed record StepOutcome(int Accepted, int Rejected, double? Norm, PromptReuse? Reuse);

    private async Task<StepOutcome> RunStepAsync(int step, int count, RecordedStep? record, History history, CandidateParser parser, CancellationToken ct)
    {
        var completions = record?.Completions;
        var norm = record?.Start?.Guidance?.Norm;
        if (completions is null)
        {
            var messages = MetaPrompt.Build(_settings.Task, history, _settings.MetaPrompt);
            var steering = await SteeringAsync(history, ct).ConfigureAwait(false);
            var sampling = _settings.Sampling with
            {
                Seed = StepSeed.Derive(_settings.Seed, step),
                MaxNewTokens = steering is null ? _settings.Sampling.MaxNewTokens : _settings.Guidance.MaxNewTokens ?? _settings.Sampling.MaxNewTokens,
            };
            var guidance = steering is null ? null : new StepGuidance(steering.Value.Pair.Positive.Template.Text,
                steering.Value.Pair.Negative.Template.Text, steering.Value.Vector.Norm, steering.Value.Vector.Alpha,
                steering.Value.Vector.Layer, steering.Value.Vector.Mode);
            norm = guidance?.Norm;
            _journal.RecordStepStart(new StepStart(step, messages, count, sampling, guidance));
            completions = await _proposer.ProposeAsync(
                new ProposalRequest(messages, count, sampling, steering?.Vector) { Step = step, Progress = WorkOf(step) }, ct).ConfigureAwait(false);
            if (completions.Count != count)
                throw new InvalidOperationException($"proposer '{_proposer.Name}' returned {completions.Count} completions for {count} requested at step {step}");
            _journal.RecordCompletions(step, completions);
        }

        var candidates = record?.Candidates;
        if (candidates is null)
        {
            candidates = Parse(completions, history, parser);
            _journal.RecordCandidates(step, candidates);
        }

        var accepted = candidates.Where(c => c.Template is not null).ToList();
        var scores = new Dictionary<int, FitnessResult>(record?.Scores ?? new Dictionary<int, FitnessResult>());
        var pending = accepted.Where(c => !scores.ContainsKey(c.Index)).ToList();
        var batch = _settings.ScoreBatch > 0 ? _settings.ScoreBatch : Math.Max(1, pending.Count);
        foreach (var chunk in pending.Chunk(batch))
        {
            var results = await ScoreAsync(chunk.Select(c => ToTemplate(c)).ToList(), step, ct).ConfigureAwait(false);
            var rows = chunk.Select((c, i) => (c.Index, results[i])).ToList();
            _journal.RecordScores(step, rows);
            foreach (var (index, result) in rows)
                scores[index] = result;
        }

        foreach (var c in accepted)
            history.Add(new ScoredTemplate(ToTemplate(c), scores[c.Index], step, c.Index));
        if (record?.Complete != true)
            _journal.RecordStepComplete(step);
        return new StepOutcome(accepted.Count, candidates.Count - accepted.Count, norm, PromptReuse.Of(completions));
    }

    private Template ToTemplate(CandidateRecord candidate) => Template.Create(candidate.Template!, _fitness.Kind);

    private static List<CandidateRecord> Parse(IReadOnlyList<Completion> completions, History history, CandidateParser parser)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var records = new List<CandidateRecord>();
        for (var i = 0; i < completions.Count; i++)
        {
            foreach (var parsed in parser.Parse(completions[i].Text, history, seen))
                records.Add(new CandidateRecord(records.Count, i, parsed.Fragment, parsed.Template?.Text, parsed.Reason, parsed.Detail));
        }
        return records;
    }

    private async Task<IReadOnlyList<FitnessResult>> ScoreAsync(IReadOnlyList<Template> templates, int step, CancellationToken ct)
    {
        var results = await _fitness.ScoreAsync(templates, ct, WorkOf(step)).ConfigureAwait(false);
        if (results.Count != templates.Count)
            throw new InvalidOperationException($"fitness returned {results.Count} results for {templates.Count} templates");
        return results;
    }

    private async Task<(GuidancePair Pair, SteeringVector Vector)?> SteeringAsync(History history, CancellationToken ct)
    {
        if (!_settings.Guidance.Enabled || GuidancePolicy.Select(history, requireImprovement: !_settings.Guidance.Force) is not { } pair)
            return null;
        var g = _settings.Guidance;
        var layer = g.Layer ?? SteeringVector.DefaultLayer(_embedder!.LayerCount);
        var positive = await EmbedAsync(pair.Positive.Template.Text, layer, ct).ConfigureAwait(false);
        var negative = await EmbedAsync(pair.Negative.Template.Text, layer, ct).ConfigureAwait(false);
        return (pair, new SteeringVector(SteeringVector.Difference(positive, negative), g.Alpha, layer, g.Mode, g.CompoundAlpha));
    }

    private async Task<float[]> EmbedAsync(string text, int layer, CancellationToken ct)
    {
        if (!_embeddings.TryGetValue(text, out var embedding))
        {
            embedding = await _embedder!.EmbedAsync(text, layer, ct).ConfigureAwait(false);
            _embeddings[text] = embedding;
        }
        return embedding;
    }

    private async Task<FinalResult> SelectFinalAsync(History history, CancellationToken ct)
    {
        var final = await FinalSelection.SelectAsync(history, _fitness, _settings.Selection, _settings.EnsembleSize, ct).ConfigureAwait(false);
        _journal.RecordFinal(final);
        return final;
    }

    private SynchronousProgress<WorkProgress> WorkOf(int step) => new(work => Working?.Invoke(new StepWork(step, _settings.Steps, work)));

    private void Report(int step, int accepted, int rejected, int proposed, History history, double? norm, PromptReuse? reuse, long started,
        TimeSpan? eta, bool fromJournal) =>
        Progress?.Invoke(new OptimizerProgress(step, _settings.Steps, accepted, rejected, proposed, history.Best!, norm,
            _time.GetElapsedTime(started), eta, fromJournal) { PromptReuse = reuse });
}

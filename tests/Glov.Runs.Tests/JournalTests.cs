using System.Text.Json.Nodes;
using Glov.Core;
using Glov.Core.Journal;
using Glov.Core.Optimization;
using Glov.Core.Parsing;
using Glov.Core.Proposing;
using Glov.Core.Scoring;
using Glov.Core.Selection;
using Glov.Core.Templates;
using Microsoft.Data.Sqlite;

namespace Glov.Runs.Tests;

public class JournalTests
{
    private static readonly RunManifest Manifest = new("""{"seed":18446744073709551615}""", "abc123", ulong.MaxValue, "9.9", new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Everything_recorded_reads_back_identically()
    {
        using var dir = new TempDir();
        var path = dir.File("j.db");
        var start = new StepStart(0, [new ChatMessage(ChatRole.System, "sys"), new ChatMessage(ChatRole.User, "user\nline 2 \"quoted\"")], 3,
            new SamplingSettings { Temperature = 0.7, TopP = 0.95, TopK = 40, MaxNewTokens = 75, Seed = 12345678901234567890UL },
            new StepGuidance("A good <category>.", "A bad <category>.", 1.25, 0.75f, 17, SteeringMode.Recompute));
        Completion[] completions = [new("A good <category>.", 100, 6, FinishReason.Stop, 87), new("rambling", 100, 50, FinishReason.Length, 87), new("", 100, 0, FinishReason.Stop, 87)];
        CandidateRecord[] candidates =
        [
            new(0, 0, "A good <category>.", "A good <category>.", null, null),
            new(1, 1, "rambling", null, RejectionReason.NoPlaceholder, "no <category>"),
            new(2, 2, "", null, RejectionReason.Empty, "nothing"),
        ];
        var fitness = new FitnessResult(33.33333333333333, [new ClassHits("cat", 1, 3), new ClassHits("sea_lion", 0, 3)]);
        var final = new FinalResult([Template.Create("A good <category>."), Template.Create("A photo of a <category>.")], 0,
            new FitnessResult(66.66666666666667, [new ClassHits("cat", 2, 3)]), SelectionMode.PerStepEnsemble);

        using (var journal = SqliteRunJournal.Create(path, Manifest))
        {
            Assert.Same(RecordedRun.Empty, journal.Recorded);
            journal.RecordCandidates(-1, [new CandidateRecord(0, 0, "A photo of a <category>.", "A photo of a <category>.", null, null)]);
            journal.RecordScores(-1, [(0, fitness)]);
            journal.RecordStepComplete(-1);
            journal.RecordStepStart(start);
            journal.RecordCompletions(0, completions);
            journal.RecordCandidates(0, candidates);
            journal.RecordScores(0, [(0, fitness)]);
            journal.RecordStepComplete(0);
            journal.RecordFinal(final);
            journal.SetStatus(RunStatus.Completed, "steps_done");
        }

        using var reopened = SqliteRunJournal.Open(path);
        Assert.Equal(Manifest, reopened.Manifest);
        Assert.Equal((RunStatus.Completed, "steps_done"), (reopened.Status().Status, reopened.Status().Detail));
        var seed = reopened.Recorded.Step(-1)!;
        Assert.True(seed.Complete);
        Assert.Null(seed.Start);
        Assert.Equal(33.33333333333333, seed.Scores[0].Score);
        var step = reopened.Recorded.Step(0)!;
        Assert.True(step.Complete);
        Assert.Equal(start.Messages, step.Start!.Messages);
        Assert.Equal(start.Sampling, step.Start.Sampling);
        Assert.Equal(start.Guidance, step.Start.Guidance);
        Assert.Equal(start.Count, step.Start.Count);
        Assert.Equal(completions, step.Completions);
        Assert.Equal(new PromptReuse(100, 87), step.PromptReuse);
        Assert.Equal(candidates, step.Candidates);
        Assert.Equal(fitness.Score, step.Scores[0].Score);
        Assert.Equal(fitness.PerClass, step.Scores[0].PerClass);
        var readFinal = reopened.Recorded.Final!;
        Assert.Equal(final.Ensemble, readFinal.Ensemble);
        Assert.Equal(final.Step, readFinal.Step);
        Assert.Equal(final.Mode, readFinal.Mode);
        Assert.Equal(final.TrainFitness.Score, readFinal.TrainFitness.Score);
        Assert.Equal(final.TrainFitness.PerClass, readFinal.TrainFitness.PerClass);
    }

    [Fact]
    public void The_file_is_in_wal_mode_and_marked_as_a_glov_journal()
    {
        using var dir = new TempDir();
        var path = dir.File("j.db");
        using (SqliteRunJournal.Create(path, Manifest)) { }

        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", cmd.ExecuteScalar());
        cmd.CommandText = "PRAGMA application_id";
        Assert.Equal(0x474C4F56L, cmd.ExecuteScalar());
    }

    [Fact]
    public void A_step_killed_before_scoring_keeps_its_completions_and_stays_incomplete()
    {
        using var dir = new TempDir();
        var path = dir.File("j.db");
        using (var journal = SqliteRunJournal.Create(path, Manifest))
        {
            journal.RecordStepStart(new StepStart(0, [new ChatMessage(ChatRole.User, "u")], 1, new SamplingSettings(), null));
            journal.RecordCompletions(0, [new Completion("A <category>.", 1, 1, FinishReason.Stop)]);
        }

        using var reopened = SqliteRunJournal.Open(path);
        var step = reopened.Recorded.Step(0)!;
        Assert.False(step.Complete);
        Assert.Single(step.Completions!);
        Assert.Null(step.Candidates);
        Assert.Empty(step.Scores);
    }

    [Fact]
    public void Each_step_reads_back_when_it_started_and_ended_and_the_seed_only_its_end()
    {
        using var dir = new TempDir();
        var path = dir.File("j.db");
        var time = new ManualTime();
        var origin = time.GetUtcNow();
        using (var journal = SqliteRunJournal.Create(path, Manifest, time))
        {
            time.Advance(TimeSpan.FromSeconds(2));
            journal.RecordStepComplete(-1);
            time.Advance(TimeSpan.FromSeconds(1));
            journal.RecordStepStart(new StepStart(0, [new ChatMessage(ChatRole.User, "u")], 1, new SamplingSettings(), null));
            time.Advance(TimeSpan.FromMilliseconds(12_345));
            journal.RecordStepComplete(0);
            time.Advance(TimeSpan.FromSeconds(1));
            journal.RecordStepStart(new StepStart(1, [new ChatMessage(ChatRole.User, "u")], 1, new SamplingSettings(), null));
        }

        using var reopened = SqliteRunJournal.Open(path, readOnly: true);
        var steps = reopened.Recorded.Steps;
        Assert.Equal((null, origin.AddSeconds(2)), (steps[-1].StartedAt, steps[-1].CompletedAt));
        Assert.Equal((origin.AddSeconds(3), origin.AddMilliseconds(15_345)), (steps[0].StartedAt, steps[0].CompletedAt));
        Assert.Equal((origin.AddMilliseconds(16_345), null), (steps[1].StartedAt, steps[1].CompletedAt));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_a_one_line_user_error_naming_it()
    {
        using var dir = new TempDir();
        var path = dir.File("j.db");
        File.WriteAllText(path, "this is not sqlite, just some text that is long enough to have a header ...............................");

        var e = Assert.Throws<GlovUserException>(() => SqliteRunJournal.Open(path));

        Assert.StartsWith($"{path}: unreadable journal (", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_sqlite_file_of_another_application_is_refused()
    {
        using var dir = new TempDir();
        var path = dir.File("other.db");
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE t(x)";
            cmd.ExecuteNonQuery();
        }

        Assert.Equal($"{path}: not a glov journal", Assert.Throws<GlovUserException>(() => SqliteRunJournal.Open(path)).Message);
    }

    [Fact]
    public void A_missing_journal_and_an_existing_one_on_create_are_user_errors()
    {
        using var dir = new TempDir();
        var path = dir.File("j.db");
        Assert.Equal($"{path}: no such journal", Assert.Throws<GlovUserException>(() => SqliteRunJournal.Open(path)).Message);
        using (SqliteRunJournal.Create(path, Manifest)) { }
        Assert.Equal($"{path}: a journal already exists", Assert.Throws<GlovUserException>(() => SqliteRunJournal.Create(path, Manifest)).Message);
    }

    [Fact]
    public void A_run_has_one_writer_at_a_time_while_readers_are_free()
    {
        using var dir = new TempDir();
        var path = dir.File("j.db");
        using (var writer = SqliteRunJournal.Create(path, Manifest))
        {
            Assert.Equal($"{path}: the run is in use by another glov process", Assert.Throws<GlovUserException>(() => SqliteRunJournal.Open(path)).Message);
            using var reader = SqliteRunJournal.Open(path, readOnly: true);
            Assert.Equal(Manifest, reader.Manifest);
        }
        using var next = SqliteRunJournal.Open(path);
        Assert.Equal(Manifest, next.Manifest);
    }

    [Fact]
    public void An_empty_or_header_only_journal_left_by_a_killed_creation_does_not_block_the_run_name()
    {
        using var dir = new TempDir();
        var empty = dir.File("empty.db");
        File.WriteAllBytes(empty, []);
        var headerOnly = dir.File("header.db");
        using (var c = new SqliteConnection($"Data Source={headerOnly};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"PRAGMA application_id = {0x474C4F56}; PRAGMA journal_mode = WAL; CREATE TABLE run(id INTEGER PRIMARY KEY);";
            cmd.ExecuteNonQuery();
        }

        Assert.False(SqliteRunJournal.Exists(empty));
        Assert.False(SqliteRunJournal.Exists(headerOnly));
        Assert.StartsWith($"{empty}: the run was never started", Assert.Throws<GlovUserException>(() => SqliteRunJournal.Open(empty)).Message);
        foreach (var path in new[] { empty, headerOnly })
        {
            using (var created = SqliteRunJournal.Create(path, Manifest))
                Assert.Equal(Manifest, created.Manifest);
            Assert.True(SqliteRunJournal.Exists(path));
            using var reopened = SqliteRunJournal.Open(path, readOnly: true);
            Assert.Equal(Manifest, reopened.Manifest);
        }
    }

    [Fact]
    public void A_journal_that_cannot_be_completed_leaves_nothing_at_its_path()
    {
        using var dir = new TempDir();
        var path = dir.File("j.db");
        // A manifest the schema refuses fails the creation after the file was begun, as a full disk would.
        var broken = Manifest with { Inputs = new Dictionary<string, string> { ["/models/m.gguf"] = null! } };

        Assert.ThrowsAny<Exception>(() => SqliteRunJournal.Create(path, broken));

        Assert.Empty(Directory.GetFiles(dir.Path));
        using (var created = SqliteRunJournal.Create(path, Manifest))
            Assert.Equal(Manifest, created.Manifest);
    }

    [Fact]
    public void Deleting_a_lock_file_does_not_let_a_second_writer_in_and_a_killed_writer_is_detected()
    {
        using var dir = new TempDir();
        var path = dir.File("j.db");
        using (var writer = SqliteRunJournal.Create(path, Manifest))
        {
            foreach (var stray in Directory.GetFiles(dir.Path, "*.lock"))
                File.Delete(stray);
            Assert.Equal($"{path}: the run is in use by another glov process", Assert.Throws<GlovUserException>(() => SqliteRunJournal.Open(path)).Message);
            Assert.True(SqliteRunJournal.IsBeingWritten(path));
        }
        Assert.False(SqliteRunJournal.IsBeingWritten(path));
    }

    [Fact]
    public void A_journal_from_before_the_prompt_reuse_field_reads_without_it_and_gains_it_when_opened_for_writing()
    {
        using var dir = new TempDir();
        var path = dir.File("j.db");
        static StepStart Start(int step) => new(step, [new ChatMessage(ChatRole.User, "u")], 1, new SamplingSettings(), null);
        using (var journal = SqliteRunJournal.Create(path, Manifest))
        {
            journal.RecordStepStart(Start(0));
            journal.RecordCompletions(0, [new Completion("A <category>.", 40, 1, FinishReason.Stop, 30)]);
        }
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "ALTER TABLE steps DROP COLUMN reused_prompt_tokens";
            cmd.ExecuteNonQuery();
        }

        using (var old = SqliteRunJournal.Open(path, readOnly: true))
        {
            Assert.Null(old.Recorded.Step(0)!.PromptReuse);
            Assert.Equal(new Completion("A <category>.", 40, 1, FinishReason.Stop), old.Recorded.Step(0)!.Completions!.Single());
        }
        using (var resumed = SqliteRunJournal.Open(path))
        {
            resumed.RecordStepStart(Start(1));
            resumed.RecordCompletions(1, [new Completion("B <category>.", 41, 1, FinishReason.Stop, 35)]);
        }
        using var again = SqliteRunJournal.Open(path, readOnly: true);
        Assert.Null(again.Recorded.Step(0)!.PromptReuse);
        Assert.Equal(new PromptReuse(41, 35), again.Recorded.Step(1)!.PromptReuse);
    }

    [Fact]
    public void Input_fingerprints_are_part_of_the_manifest_and_a_journal_without_them_adopts_them()
    {
        using var dir = new TempDir();
        var path = dir.File("j.db");
        var inputs = new Dictionary<string, string> { ["/models/a.gguf"] = "10:ab", ["/images/x.png"] = "3:cd" };
        using (SqliteRunJournal.Create(path, Manifest with { Inputs = inputs })) { }
        using (var reopened = SqliteRunJournal.Open(path))
        {
            Assert.Equal(inputs.OrderBy(p => p.Key), reopened.Manifest.Inputs.OrderBy(p => p.Key));
            reopened.RecordInputs(new Dictionary<string, string> { ["/images/y.png"] = "4:ef" });
        }
        using var again = SqliteRunJournal.Open(path, readOnly: true);
        Assert.Equal("4:ef", again.Manifest.Inputs["/images/y.png"]);
        Assert.Equal(3, again.Manifest.Inputs.Count);
    }

    [Fact]
    public async Task Export_writes_every_row_as_one_json_object_per_line()
    {
        using var dir = new TempDir();
        var path = dir.File("j.db");
        using (var journal = SqliteRunJournal.Create(path, Manifest))
            await new Optimizer(FakeProposer.Deterministic(), null, FakeFitness.Hashed(), journal, Settings.Default(steps: 2, candidates: 3)).RunAsync();

        using var reopened = SqliteRunJournal.Open(path, readOnly: true);
        var writer = new StringWriter();
        reopened.ExportJsonLines(writer);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

        var recorded = reopened.Recorded;
        Assert.Equal("run", (string)lines[0]["type"]!);
        Assert.Equal("abc123", (string)lines[0]["config_hash"]!);
        Assert.Equal(ulong.MaxValue, (ulong)lines[0]["config"]!["seed"]!);
        Assert.Equal(3, lines.Count(l => (string)l["type"]! == "steps"));
        Assert.Equal(6, lines.Count(l => (string)l["type"]! == "completions"));
        Assert.Equal(recorded.Steps.Values.Sum(s => s.Candidates!.Count), lines.Count(l => (string)l["type"]! == "candidates"));
        Assert.Equal(recorded.Steps.Values.Sum(s => s.Scores.Count), lines.Count(l => (string)l["type"]! == "scores"));
        Assert.Equal("final", (string)lines[^1]["type"]!);
        var completion = lines.First(l => (string)l["type"]! == "completions");
        Assert.Equal(recorded.Step(0)!.Completions![0].Text, (string)completion["text"]!);
        var score = lines.First(l => (string)l["type"]! == "scores");
        Assert.Equal(FakeFitness.Classes.Length, score["per_class"]!.AsArray().Count);
        Assert.Equal("user", (string)lines.First(l => (int?)l["step"] == 0 && (string)l["type"]! == "steps")["messages"]![1]!["role"]!);
    }

    [Theory]
    [InlineData(13, "cannot write the journal: the disk is full")]          // SQLITE_FULL
    [InlineData(5, "cannot write the journal: the file is locked by another program")] // SQLITE_BUSY
    [InlineData(8, "cannot write the journal: the file or its folder is read-only")]  // SQLITE_READONLY
    public void Failed_writes_the_user_can_fix_are_one_line_user_errors_naming_the_journal(int code, string cause)
    {
        var failure = SqliteRunJournal.WriteFailure("/runs/a/journal.db", new SqliteException("sqlite says no", code));
        Assert.NotNull(failure);
        Assert.StartsWith($"/runs/a/journal.db: {cause}", failure.Message);
        Assert.Null(SqliteRunJournal.WriteFailure("/runs/a/journal.db", new SqliteException("constraint failed", 19)));
    }

    [Fact]
    public void A_journal_locked_by_another_program_is_a_user_error_when_written()
    {
        using var dir = new TempDir();
        var path = dir.File("j.db");
        using var journal = SqliteRunJournal.Create(path, Manifest);
        using var other = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=1");
        other.Open();
        using (var cmd = other.CreateCommand())
        {
            cmd.CommandText = "BEGIN EXCLUSIVE";
            cmd.ExecuteNonQuery();
        }

        var e = Assert.Throws<GlovUserException>(() => journal.SetStatus(RunStatus.Completed));

        Assert.StartsWith($"{path}: cannot write the journal: the file is locked by another program", e.Message);
    }
}

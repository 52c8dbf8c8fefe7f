using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Glov.Cli.Tests;

/// <summary>
/// The built glov as a child process: SIGKILL a replaying run in the middle of a step (some of the
/// step's candidates scored, the step not complete), resume it, and compare result and journal with an
/// uninterrupted run of the same config.
/// </summary>
public class KillAndResumeTests
{
    private static string ReplayConfig(string name, string fitnessExtra = "") => $"""
        name: {name}
        seed: 7
        task:
          dataset: cifar10
          description: Small natural images of ten everyday object classes.
        optimizer:
          steps: 4
          candidates: 6
          score_batch: 1
        guidance:
          enabled: false
        proposer:
          kind: replay
          journal: runs/source
        fitness:
          kind: keyword
          classes: {Configs.Classes}
        {fitnessExtra}
        """;

    /// <summary>Generous: a loaded 2-core machine starts and JIT-compiles a child glov slowly.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_run_killed_mid_step_resumes_to_the_uninterrupted_result_and_journal()
    {
        using var ws = new Workspace();
        ws.Write("source.yaml", Configs.Scripted("source"));
        var source = await ws.Exec("optimize", "--config", "source.yaml");
        Assert.True(source.ExitCode == 0, source.Stderr);

        ws.Write("whole.yaml", ReplayConfig("whole"));
        var whole = await ws.Exec("optimize", "--config", "whole.yaml");
        Assert.True(whole.ExitCode == 0, whole.Stderr);

        // The killed run stalls after its first score of step 2, so it is killed mid-step whatever the load;
        // the stall is not part of the run's identity, so the resume may drop it.
        var stallAfter = Count(ws.File("runs/whole/journal.db"), "SELECT count(*) FROM scores WHERE step < 2") + 1;
        ws.Write("killed.yaml", ReplayConfig("killed", $"  stall_after: {stallAfter}"));
        using (var process = ws.Start("optimize", "--config", "killed.yaml"))
        {
            var journal = ws.File("runs/killed/journal.db");
            var output = process.StandardError.ReadToEndAsync();
            await WaitFor(() => MidStep(journal, step: 2), process, output, "the middle of step 2");
            Assert.Equal("running", RunsListStatus(await ws.Run("runs", "list", "--runs-dir", ws.File("runs")), "killed"));
            process.Kill(); // SIGKILL on Linux
            await process.WaitForExitAsync();
            Assert.Equal(137, process.ExitCode);
        }
        var (scoredBefore, statusBefore) = Snapshot(ws.File("runs/killed/journal.db"));
        Assert.Equal("running", statusBefore);
        // The journal still says running, but no process holds the run: list and show call it interrupted.
        Assert.Equal("interrupted", RunsListStatus(await ws.Run("runs", "list", "--runs-dir", ws.File("runs")), "killed"));
        Assert.Contains("status    interrupted\n", (await ws.Run("runs", "show", "killed", "--runs-dir", ws.File("runs"))).Stdout);
        Assert.Equal(stallAfter, scoredBefore);

        var resumed = await ws.Exec("resume", "killed", "--set", "fitness.stall_after=null");

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(FinalLines(whole.Stdout), FinalLines(resumed.Stdout));
        // One line for the steps the journal held, then a line per step run now.
        Assert.Contains("resumed: the seed and steps 1-2 (of 4 steps) from the journal", resumed.Stderr);
        Assert.DoesNotContain("step 1/4", resumed.Stderr);
        Assert.Contains("step 3/4:", resumed.Stderr);
        // Same rows as the uninterrupted run, so nothing was scored twice: every score row was written
        // once, before or after the kill.
        Assert.Equal(Journal(ws.File("runs/whole/journal.db")), Journal(ws.File("runs/killed/journal.db")));
        var (scoredAfter, _) = Snapshot(ws.File("runs/killed/journal.db"));
        Assert.True(scoredAfter > scoredBefore);
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [Fact]
    public async Task Sigterm_cancels_the_run_marks_the_journal_and_resume_finishes_it()
    {
        using var ws = new Workspace();
        // Scoring stalls after the seed, journal step 0's 5 accepted candidates and one of step 1: SIGTERM
        // arrives mid-scoring, whatever the load.
        ws.Write("run.yaml", Configs.Scripted("stopped", steps: 5, extra: "")
            .Replace("  kind: keyword\n", "  kind: keyword\n  stall_after: 7\n").Replace("  candidates: 6\n", "  candidates: 6\n  score_batch: 1\n"));
        var journal = ws.File("runs/stopped/journal.db");
        using (var process = ws.Start("optimize", "--config", "run.yaml"))
        {
            var stderr = process.StandardError.ReadToEndAsync();
            await WaitFor(() => Scored(journal, step: 1), process, stderr, "step 1");
            Assert.Equal(0, kill(process.Id, 15));
            await process.WaitForExitAsync();
            Assert.Equal(130, process.ExitCode);
            Assert.EndsWith("glov: cancelled; continue with glov resume", (await stderr).TrimEnd());
        }
        Assert.Equal("cancelled", Snapshot(journal).Status);

        var resumed = await ws.Exec("resume", "stopped", "--set", "fitness.stall_after=null");

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal("completed", Snapshot(journal).Status);
        Assert.Contains("stopped  steps_done after 5 steps", resumed.Stdout);
    }

    private static string RunsListStatus(CliResult list, string run) =>
        list.Stdout.Split('\n').Single(l => l.StartsWith(run + " ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];

    /// <summary>Polls the journal of a running child glov until <paramref name="reached"/> holds.</summary>
    private static async Task WaitFor(Func<bool> reached, Process process, Task<string> stderr, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!reached())
        {
            if (process.HasExited)
                Assert.Fail($"the run ended (exit code {process.ExitCode}) before reaching {what}: {await stderr}");
            Assert.True(deadline.Elapsed < Patience, $"the run did not reach {what} within {Patience}");
            await Task.Delay(20);
        }
    }

    private static bool Scored(string journal, int step) => Query(journal, $"SELECT count(*) > 0 FROM scores WHERE step = {step}");

    private static bool MidStep(string journal, int step)
    {
        return Query(journal, $"""
            SELECT (SELECT count(*) FROM scores WHERE step = {step}) > 0
               AND (SELECT count(*) FROM candidates WHERE step = {step} AND template IS NOT NULL) > (SELECT count(*) FROM scores WHERE step = {step}) + 1
               AND (SELECT completed_at FROM steps WHERE step = {step}) IS NULL
            """);
    }

    internal static bool Query(string journal, string sql)
    {
        if (!File.Exists(journal))
            return false;
        try
        {
            using var c = new SqliteConnection($"Data Source={journal};Mode=ReadOnly;Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            return (long)cmd.ExecuteScalar()! == 1;
        }
        catch (SqliteException)
        {
            return false; // the schema is still being created
        }
    }

    private static long Count(string journal, string sql)
    {
        using var c = new SqliteConnection($"Data Source={journal};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    private static (long Scores, string Status) Snapshot(string journal)
    {
        using var c = new SqliteConnection($"Data Source={journal};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT (SELECT count(*) FROM scores), (SELECT status FROM run)";
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetString(1));
    }

    private static string FinalLines(string stdout) => stdout[stdout.IndexOf("stopped", StringComparison.Ordinal)..];

    /// <summary>The journal's export without timestamps, the run's own name and the scoring stall.</summary>
    private static List<string> Journal(string path)
    {
        var export = new StringWriter();
        Assert.Equal(0, Commands.RunsCommands.Export(path, null, export));
        return export.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var row = JsonNode.Parse(line)!.AsObject();
            foreach (var key in row.Select(p => p.Key).Where(k => k.EndsWith("_at", StringComparison.Ordinal)).ToList())
                row.Remove(key);
            row["config"]?.AsObject().Remove("name");
            row["config"]?["fitness"]?.AsObject().Remove("stall_after");
            return row.ToJsonString();
        }).ToList();
    }
}

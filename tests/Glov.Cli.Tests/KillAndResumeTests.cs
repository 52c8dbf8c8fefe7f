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
    private static string ReplayConfig(string name) => $"""
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
          delay_ms: 60
        """;

    [Fact]
    public async Task A_run_killed_mid_step_resumes_to_the_uninterrupted_result_and_journal()
    {
        using var ws = new Workspace();
        ws.Write("source.yaml", Configs.Scripted("source"));
        var source = await ws.Exec("optimize", "--config", "source.yaml");
        Assert.True(source.ExitCode == 0, source.Stderr);

        ws.Write("whole.yaml", ReplayConfig("whole"));
        ws.Write("killed.yaml", ReplayConfig("killed"));
        var whole = await ws.Exec("optimize", "--config", "whole.yaml");
        Assert.True(whole.ExitCode == 0, whole.Stderr);

        using (var process = ws.Start("optimize", "--config", "killed.yaml"))
        {
            var journal = ws.File("runs/killed/journal.db");
            var deadline = Stopwatch.StartNew();
            while (!MidStep(journal, step: 2))
            {
                Assert.False(process.HasExited, "the run ended before it could be killed mid-step");
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(1), "the run never reached the middle of step 2");
                await Task.Delay(5);
            }
            process.Kill(); // SIGKILL on Linux
            await process.WaitForExitAsync();
            Assert.Equal(137, process.ExitCode);
        }
        var (scoredBefore, statusBefore) = Snapshot(ws.File("runs/killed/journal.db"));
        Assert.Equal("running", statusBefore);

        var resumed = await ws.Exec("resume", "killed");

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(FinalLines(whole.Stdout), FinalLines(resumed.Stdout));
        Assert.Contains("step 2/4 (from journal)", resumed.Stderr);
        Assert.Equal(Journal(ws.File("runs/whole/journal.db")), Journal(ws.File("runs/killed/journal.db")));
        // Nothing was scored twice: every score row was written once, before or after the kill.
        var (scoredAfter, _) = Snapshot(ws.File("runs/killed/journal.db"));
        Assert.True(scoredAfter > scoredBefore);
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [Fact]
    public async Task Sigterm_cancels_the_run_marks_the_journal_and_resume_finishes_it()
    {
        using var ws = new Workspace();
        ws.Write("run.yaml", Configs.Scripted("stopped", steps: 3, extra: "")
            .Replace("  kind: keyword\n", "  kind: keyword\n  delay_ms: 40\n").Replace("  candidates: 6\n", "  candidates: 6\n  score_batch: 1\n"));
        var journal = ws.File("runs/stopped/journal.db");
        using (var process = ws.Start("optimize", "--config", "run.yaml"))
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var deadline = Stopwatch.StartNew();
            while (!MidStep(journal, step: 1))
            {
                Assert.False(process.HasExited, "the run ended before it could be stopped");
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(1), "the run never reached step 1");
                await Task.Delay(5);
            }
            Assert.Equal(0, kill(process.Id, 15));
            await process.WaitForExitAsync();
            Assert.Equal(130, process.ExitCode);
            Assert.EndsWith("glov: cancelled; continue with glov resume", (await stderr).TrimEnd());
        }
        Assert.Equal("cancelled", Snapshot(journal).Status);

        var resumed = await ws.Exec("resume", "stopped");

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal("completed", Snapshot(journal).Status);
        Assert.Contains("stopped  steps_done after 3 steps", resumed.Stdout);
    }

    private static bool MidStep(string journal, int step)
    {
        if (!File.Exists(journal))
            return false;
        try
        {
            using var c = new SqliteConnection($"Data Source={journal};Mode=ReadOnly;Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"""
                SELECT (SELECT count(*) FROM scores WHERE step = {step}) > 0
                   AND (SELECT count(*) FROM candidates WHERE step = {step} AND template IS NOT NULL) > (SELECT count(*) FROM scores WHERE step = {step}) + 1
                   AND (SELECT completed_at FROM steps WHERE step = {step}) IS NULL
                """;
            return (long)cmd.ExecuteScalar()! == 1;
        }
        catch (SqliteException)
        {
            return false; // the schema is still being created
        }
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

    /// <summary>The journal's export without timestamps and without the run's own name.</summary>
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
            return row.ToJsonString();
        }).ToList();
    }
}

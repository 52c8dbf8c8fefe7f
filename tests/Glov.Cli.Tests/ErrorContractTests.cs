using Microsoft.Data.Sqlite;

namespace Glov.Cli.Tests;

/// <summary>Whatever a careless user or a damaged file does: one line naming the file or key, exit 2,
/// and nothing else lost.</summary>
public class ErrorContractTests
{
    private static void Tamper(string journal, string sql)
    {
        using var c = new SqliteConnection($"Data Source={journal};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static void AssertUserError(CliResult result, string startsWith)
    {
        Assert.True(result.ExitCode == 2, result.Stderr);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("glov: " + startsWith, line);
        Assert.DoesNotContain("internal error", line);
    }

    [Fact]
    public async Task An_empty_journal_left_by_a_killed_creation_does_not_block_the_run_name()
    {
        using var ws = new Workspace();
        ws.Write("run.yaml", Configs.Scripted("blocked", steps: 2));
        Directory.CreateDirectory(ws.File("runs/blocked"));
        File.WriteAllBytes(ws.File("runs/blocked/journal.db"), []);

        var run = await ws.Run("optimize", "--config", "run.yaml");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("stopped  steps_done after 2 steps", run.Stdout);
    }

    [Theory]
    [InlineData("UPDATE run SET seed = 'many'", true)]
    [InlineData("UPDATE run SET status = 'exploded'", false)] // a resume writes the status afresh
    [InlineData("UPDATE scores SET per_class_json = '{not json' WHERE step = 0", true)]
    [InlineData("UPDATE final SET ensemble_json = '[\"no placeholder\", 3]'", true)]
    public async Task A_tampered_journal_is_a_user_error_and_runs_list_still_lists_every_other_run(string sql, bool resumeFails)
    {
        using var ws = new Workspace();
        ws.Write("good.yaml", Configs.Scripted("good", steps: 1));
        ws.Write("bad.yaml", Configs.Scripted("bad", steps: 1));
        Assert.Equal(0, (await ws.Run("optimize", "--config", "good.yaml")).ExitCode);
        Assert.Equal(0, (await ws.Run("optimize", "--config", "bad.yaml")).ExitCode);
        var journal = ws.File("runs/bad/journal.db");
        Tamper(journal, sql);

        var show = await ws.Run("runs", "show", "bad", "--runs-dir", ws.File("runs"));
        var list = await ws.Run("runs", "list", "--runs-dir", ws.File("runs"));

        AssertUserError(show, $"{journal}: damaged journal");
        if (resumeFails)
            AssertUserError(await ws.Run("resume", "bad", "--runs-dir", ws.File("runs")), $"{journal}: damaged journal");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(list.Stdout.Split('\n'), l => l.StartsWith("good ", StringComparison.Ordinal) && l.Contains("completed"));
        Assert.Contains(list.Stdout.Split('\n'), l => l.StartsWith("bad ", StringComparison.Ordinal) && l.Contains("unreadable"));
    }
}

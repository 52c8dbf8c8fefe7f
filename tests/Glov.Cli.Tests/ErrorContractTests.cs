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

    public static TheoryData<string, string, string> BadConfigs => new()
    {
        { "sampling:\n  temperature: NaN\n", "sampling.temperature: must be a finite number", "" },
        { "guidance:\n  enabled: false\n  alpha: Infinity\n", "guidance.alpha: must be a finite number", "guidance:\n  enabled: false\n" },
        { "sampling:\n  top_p: -Infinity\n", "sampling.top_p: must be a finite number", "" },
        { "extra_seeds: [a,\n    b,\n    c\nproposal: {kind: scripted}\n", "not valid YAML", "" },
        { "name2: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
            "the config expands to more than 100000 values", "" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public async Task Bad_values_in_a_config_are_one_line_user_errors_naming_the_key(string extra, string cause, string replaced)
    {
        using var ws = new Workspace();
        var config = Configs.Scripted("bad", steps: 1);
        if (replaced.Length > 0)
            config = config.Replace(replaced, "");
        var path = ws.Write("run.yaml", config + "\n" + extra);

        var run = await ws.Run("optimize", "--config", "run.yaml");

        AssertUserError(run, $"{path}: {cause}");
        Assert.False(Directory.Exists(ws.File("runs")));
    }

    [Fact]
    public async Task An_oversized_config_and_a_run_name_longer_than_a_folder_name_are_refused_before_anything_is_written()
    {
        using var ws = new Workspace();
        var huge = ws.Write("huge.yaml", Configs.Scripted("huge") + "\n# " + new string('x', 2 << 20) + "\n");
        var longName = new string('n', 300);
        var named = ws.Write("long.yaml", Configs.Scripted(longName));

        AssertUserError(await ws.Run("optimize", "--config", "huge.yaml"), $"{huge}: the config is ");
        AssertUserError(await ws.Run("optimize", "--config", "long.yaml"), $"{named}: name: 300 bytes long");
        Assert.False(Directory.Exists(ws.File("runs")));
    }

    [Fact]
    public async Task A_runs_dir_that_is_a_file_is_named_as_the_cause()
    {
        using var ws = new Workspace();
        var file = ws.Write("not-a-folder", "x");
        var path = ws.Write("run.yaml", Configs.Scripted("r", steps: 1));

        AssertUserError(await ws.Run("optimize", "--config", "run.yaml", "--runs-dir", file), $"{path}: runs_dir: {file} is a file, not a folder");
        AssertUserError(await ws.Run("optimize", "--config", "run.yaml", "--runs-dir", Path.Combine(file, "runs")),
            $"{path}: runs_dir: {Path.Combine(file, "runs")} cannot be a folder: {file} is a file");
    }

    [Fact]
    public async Task Control_characters_from_a_journal_or_an_error_are_never_printed_raw()
    {
        using var ws = new Workspace();
        ws.Write("run.yaml", Configs.Scripted("escape", steps: 1));
        Assert.Equal(0, (await ws.Run("optimize", "--config", "run.yaml")).ExitCode);
        Tamper(ws.File("runs/escape/journal.db"), "UPDATE run SET status_detail = 'boom' || char(27) || '[2J' || char(7)");
        ws.Write("bad.yaml", Configs.Scripted("\"bad\\e[31m\"", steps: 1)); // YAML's escape for ESC

        var show = await ws.Run("runs", "show", "escape", "--runs-dir", ws.File("runs"));
        var badName = await ws.Run("optimize", "--config", "bad.yaml");

        Assert.Contains("(boom\\x1B[2J\\x07)", show.Stdout);
        Assert.DoesNotContain(show.Stdout, c => c is '\u001b' or '\u0007');
        AssertUserError(badName, $"{ws.File("bad.yaml")}: name: 'bad\\x1B[31m' cannot be a folder name");
        Assert.DoesNotContain('\u001b', badName.Stderr);
    }
}

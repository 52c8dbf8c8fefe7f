using System.Text.Json.Nodes;

namespace Glov.Cli.Tests;

/// <summary>The commands end to end, in process.</summary>
public class CommandTests
{
    [Fact]
    public async Task Preview_shows_the_defaults_the_task_kind_and_profile_bring()
    {
        using var ws = new Workspace();
        ws.Write("run.yaml", "task: {dataset: x, kind: free_text}\nprofile: reproduce\nguidance: {enabled: false}\n"
                             + "proposer: {kind: scripted}\nfitness: {kind: keyword, classes: [cat, dog]}\n");

        var preview = await ws.Run("preview", "--config", "run.yaml");

        Assert.True(preview.ExitCode == 0, preview.Stderr);
        Assert.StartsWith("defaults  questions (LLaVA-style classification), reproduce profile: steps 25, candidates 5, k 3, ensemble size 1, "
                          + "max new tokens 50 (75 while guided), compound alpha on\n", preview.Stdout);
    }

    [Fact]
    public async Task Optimize_runs_journals_and_prints_the_final_selection_and_runs_show_lists_it()
    {
        using var ws = new Workspace();
        ws.Write("run.yaml", Configs.Scripted("demo"));

        var run = await ws.Run("optimize", "--config", "run.yaml");

        Assert.Equal(0, run.ExitCode);
        var journal = ws.File("runs/demo/journal.db");
        Assert.Contains($"journal  {journal}", run.Stdout);
        Assert.Contains("stopped  steps_done after 4 steps", run.Stdout);
        Assert.Matches(@"final    per_step_ensemble from step \d: train Accuracy \d+\.\d", run.Stdout);
        Assert.Contains("seed: 1 accepted, 0 rejected, 0 proposed  best 40.0 \"A photo of a <category>.\"", run.Stderr);
        Assert.Contains("step 4/4:", run.Stderr);

        Directory.CreateDirectory(ws.File("runs/junk"));
        ws.Write("runs/junk/journal.db", new string('x', 4096));
        var list = await ws.Run("runs", "list", "--runs-dir", ws.File("runs"));
        Assert.Equal(0, list.ExitCode);
        Assert.Matches(@"demo\s+completed\s+4/4\s+70\.0\s+100\.0", list.Stdout);
        Assert.Matches(@"junk\s+unreadable: .*journal\.db: unreadable journal", list.Stdout);

        var show = await ws.Run("runs", "show", journal);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("status    completed (steps_done)", show.Stdout);
        Assert.Contains("  step    4:", show.Stdout);

        var export = await ws.Run("runs", "export", "demo", "--runs-dir", ws.File("runs"), "-o", ws.File("out.jsonl"));
        Assert.Equal(0, export.ExitCode);
        var rows = File.ReadAllLines(ws.File("out.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal("run", (string)rows[0]["type"]!);
        Assert.Equal(24, rows.Count(r => (string)r["type"]! == "completions"));
    }

    [Fact]
    public async Task Optimise_is_optimize_and_runs_list_and_show_reach_the_runs_of_a_sweep()
    {
        using var ws = new Workspace();
        ws.Write("run.yaml", Configs.Scripted("demo", steps: 1));
        var run = await ws.Run("optimise", "--config", "run.yaml");
        Assert.True(run.ExitCode == 0, run.Stderr);

        // A sweep keeps its runs one folder down: runs/<sweep>/alpha-…-layer-…/journal.db.
        Directory.CreateDirectory(ws.File("runs/grid"));
        Directory.Move(ws.File("runs/demo"), ws.File("runs/grid/alpha-1-layer-2"));
        var list = await ws.Run("runs", "list", "--runs-dir", ws.File("runs"));
        Assert.Matches(@"grid/alpha-1-layer-2\s+completed\s+1/1", list.Stdout);
        var show = await ws.Run("runs", "show", "grid/alpha-1-layer-2", "--runs-dir", ws.File("runs"));
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains("status    completed", show.Stdout);
    }

    [Fact]
    public async Task An_enum_option_lists_its_values_as_the_docs_spell_them()
    {
        using var ws = new Workspace();
        var run = await ws.Run("llm", "generate", "--model", "m.gguf", "--prompt", "p", "--steer-mode", "Exact");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'exact' 'cached' 'all' 'recompute'", run.Stderr);
        Assert.DoesNotContain("Glov.", run.Stderr);
        var help = await ws.Run("llm", "generate", "--help");
        Assert.Contains("--steer-mode <all|cached|exact|recompute>", help.Stdout);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(help.Stdout, @"default: exact"));
    }

    [Fact]
    public async Task Commands_writing_a_named_file_create_its_folder_and_a_file_in_the_way_is_one_line_exit_2()
    {
        using var ws = new Workspace();
        ws.Write("run.yaml", Configs.Scripted("demo", steps: 1));
        Assert.Equal(0, (await ws.Run("optimize", "--config", "run.yaml")).ExitCode);

        var export = await ws.Run("runs", "export", "demo", "--runs-dir", ws.File("runs"), "-o", ws.File("new/a/out.jsonl"));
        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.Equal("run", (string)JsonNode.Parse(File.ReadLines(ws.File("new/a/out.jsonl")).First())!["type"]!);

        var report = await ws.Run("report", "demo", "--runs-dir", ws.File("runs"), "-o", ws.File("new/b/report.html"));
        Assert.True(report.ExitCode == 0, report.Stderr);
        Assert.Contains("GLOV run demo", File.ReadAllText(ws.File("new/b/report.html")));

        var mmproj = await ws.Run("fixture", "mmproj", ws.File("new/c/p.gguf"));
        Assert.True(mmproj.ExitCode == 0, mmproj.Stderr);
        Assert.Equal("GGUF"u8.ToArray(), File.ReadAllBytes(ws.File("new/c/p.gguf"))[..4]);

        ws.Write("blocker", "a file where a folder is needed");
        var blocked = await ws.Run("runs", "export", "demo", "--runs-dir", ws.File("runs"), "-o", ws.File("blocker/out.jsonl"));
        Assert.Equal(2, blocked.ExitCode);
        Assert.StartsWith($"glov: {ws.File("blocker/out.jsonl")}: cannot create its folder", Assert.Single(blocked.ErrorLines));
    }

    [Fact]
    public async Task Flags_override_the_config_file()
    {
        using var ws = new Workspace();
        ws.Write("run.yaml", Configs.Scripted("demo"));

        var run = await ws.Run("optimize", "--config", "run.yaml", "--steps", "2", "--set", "optimizer.candidates=3", "--name", "short");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("stopped  steps_done after 2 steps", run.Stdout);
        Assert.Contains("step 2/2: ", run.Stderr);
        Assert.Contains("6 proposed", run.Stderr);
        Assert.True(File.Exists(ws.File("runs/short/journal.db")));
    }

    [Fact]
    public async Task The_same_config_and_seed_give_the_same_result_and_rerunning_a_finished_run_changes_nothing()
    {
        using var ws = new Workspace();
        ws.Write("run.yaml", Configs.Scripted("a"));
        var a = await ws.Run("optimize", "--config", "run.yaml");
        var b = await ws.Run("optimize", "--config", "run.yaml", "--name", "b");
        var again = await ws.Run("resume", "a", "--runs-dir", ws.File("runs"));

        var budget = await ws.Run("resume", "a", "--runs-dir", ws.File("runs"), "--set", "budget.max_wall_time=1h");

        Assert.Equal(0, budget.ExitCode);
        Assert.Equal(Final(a.Stdout), Final(b.Stdout));
        Assert.Equal(Final(a.Stdout), Final(again.Stdout));
        Assert.Contains("resumed: the seed and steps 1-4 (of 4 steps) from the journal (24 proposed, nothing run again)", again.Stderr);
        Assert.DoesNotContain("step 1/4", again.Stderr);
    }

    private static string Final(string stdout) => stdout[stdout.IndexOf("stopped", StringComparison.Ordinal)..];

    [Fact]
    public async Task A_journal_written_by_a_different_config_is_refused_with_the_differing_keys()
    {
        using var ws = new Workspace();
        ws.Write("run.yaml", Configs.Scripted("demo"));
        Assert.Equal(0, (await ws.Run("optimize", "--config", "run.yaml")).ExitCode);

        var other = await ws.Run("optimize", "--config", "run.yaml", "--steps", "5", "--set", "sampling.top_k=40");
        var resume = await ws.Run("resume", "demo", "--runs-dir", ws.File("runs"), "--set", "seed=8");

        Assert.Equal(2, other.ExitCode);
        Assert.Equal([$"run demo", $"glov: {ws.File("runs/demo/journal.db")}: the journal was written by a different config (optimizer.steps, sampling.top_k); choose another run name, or resume it with its own config"], other.ErrorLines);
        Assert.Equal(2, resume.ExitCode);
        Assert.Single(resume.ErrorLines);
        Assert.Contains("different config (seed)", resume.Stderr);
    }

    [Theory]
    [InlineData("optimizer:\n  stepz: 3", "unknown key 'optimizer.stepz'")]
    [InlineData("proposer: {kind: nope}", "proposer.kind: unknown kind 'nope' (known: llama, openai, replay, scripted)")]
    [InlineData("fitness: {kind: nope}", "fitness.kind: unknown kind 'nope' (known: clip, keyword, safety, vlm-generative)")]
    [InlineData("guidance: {enabled: true}", "guidance.enabled: proposer 'scripted' cannot steer; set guidance.enabled: false or use a proposer with steering")]
    [InlineData("optimizer: [1", "line ")]
    public async Task Bad_configs_fail_in_one_line_with_exit_code_2_and_create_no_journal(string yaml, string expected)
    {
        using var ws = new Workspace();
        var baseConfig = Configs.Scripted("demo").Replace("guidance:\n  enabled: false\n", "").Replace("proposer:\n  kind: scripted\n", "")
            .Replace($"fitness:\n  kind: keyword\n  classes: {Configs.Classes}\n", "").Replace("optimizer:\n  steps: 4\n  candidates: 6\n", "");
        var sections = new[] { "guidance: {enabled: false}", "proposer: {kind: scripted}", $"fitness: {{kind: keyword, classes: {Configs.Classes}}}", "optimizer: {steps: 2}" }
            .Where(s => s.Split(':')[0] != yaml.Split(':')[0]);
        ws.Write("run.yaml", baseConfig + string.Join('\n', sections) + "\n" + yaml + "\n");

        var r = await ws.Run("optimize", "--config", "run.yaml");

        Assert.Equal(2, r.ExitCode);
        var error = Assert.Single(r.ErrorLines, l => l.StartsWith("glov: ", StringComparison.Ordinal));
        Assert.Contains(expected, error);
        Assert.DoesNotContain(r.ErrorLines, l => l.Contains("   at "));
        Assert.False(File.Exists(ws.File("runs/demo/journal.db")));
    }

    [Fact]
    public async Task Missing_config_unknown_run_unreadable_journal_and_bad_flags_are_one_line_exit_2()
    {
        using var ws = new Workspace();
        Directory.CreateDirectory(ws.File("runs/broken"));
        ws.Write("runs/broken/journal.db", new string('x', 4096));

        var missing = await ws.Run("optimize", "--config", "nope.yaml");
        var unknown = await ws.Run("resume", "ghost", "--runs-dir", ws.File("runs"));
        var broken = await ws.Run("resume", "broken", "--runs-dir", ws.File("runs"));
        var brokenShow = await ws.Run("runs", "show", ws.File("runs/broken"));
        var flag = await ws.Run("optimize", "--config", "x.yaml", "--stepz", "3");
        var noConfig = await ws.Run("optimize");

        Assert.All(new[] { missing, unknown, broken, brokenShow, flag, noConfig }, r =>
        {
            Assert.Equal(2, r.ExitCode);
            Assert.Single(r.ErrorLines);
            Assert.StartsWith("glov: ", r.Stderr);
        });
        Assert.StartsWith($"glov: {ws.File("nope.yaml")}: cannot read config (", missing.Stderr);
        Assert.Equal($"glov: run 'ghost': no journal at {ws.File("runs/ghost/journal.db")} (nor is 'ghost' a journal file or run folder)", unknown.ErrorLines[0]);
        Assert.StartsWith($"glov: {ws.File("runs/broken/journal.db")}: unreadable journal (", broken.Stderr);
        Assert.StartsWith($"glov: {ws.File("runs/broken/journal.db")}: unreadable journal (", brokenShow.Stderr);
        Assert.Contains("--stepz", flag.Stderr);
    }

    [Fact]
    public async Task Verbose_adds_the_stack_trace()
    {
        using var ws = new Workspace();
        var r = await ws.Run("resume", "ghost", "--runs-dir", ws.File("runs"), "--verbose");

        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("glov: run 'ghost'", r.Stderr);
        Assert.Contains("Glov.Core.GlovUserException", r.Stderr);
        Assert.Contains("   at ", r.Stderr);
    }
}

using System.Text.RegularExpressions;
using Glov.Cli.Commands;
using Glov.Core.Optimization;
using Glov.Core.Scoring;
using Glov.Core.Templates;
using Microsoft.Extensions.Time.Testing;
using Spectre.Console;

namespace Glov.Cli.Tests;

public sealed class ProgressDisplayTests
{
    private static OptimizerProgress StepEnd(int step, int steps) =>
        new(step, steps, 3, 1, 4 * (step + 1), new ScoredTemplate(Template.Create("a photo of a <category>."), new FitnessResult(42.5, []), step, 0),
            null, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(30), FromJournal: false);

    [Fact]
    public void Plain_lines_show_a_running_stage_once_per_interval_and_its_end_with_the_rate()
    {
        var time = new FakeTimeProvider();
        var output = new StringWriter();
        var display = new PlainProgressDisplay(output, time) { Interval = TimeSpan.FromSeconds(10) };

        display.Show(new StepWork(1, 5, new WorkProgress(WorkStage.Generate, 0, 100, WorkUnit.Tokens)));
        for (var t = 1; t <= 25; t++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            display.Show(new StepWork(1, 5, new WorkProgress(WorkStage.Generate, 2 * t, 100, WorkUnit.Tokens)));
        }
        display.Show(new StepWork(1, 5, new WorkProgress(WorkStage.Generate, 50, 50, WorkUnit.Tokens)));
        display.Show(new StepWork(1, 5, new WorkProgress(WorkStage.Generate, 50, 50, WorkUnit.Tokens)));

        Assert.Equal(
        [
            "  step 2/5 generate  20 tokens of at most 100, 2.0 tokens/s  0:10",
            "  step 2/5 generate  40 tokens of at most 100, 2.0 tokens/s  0:20",
            "  step 2/5 generate  50 tokens, 2.0 tokens/s  0:25",
        ], output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
    }

    [Fact]
    public void Plain_lines_restart_the_clock_for_each_stage_and_each_scoring_batch_and_say_what_was_cached()
    {
        var time = new FakeTimeProvider();
        var output = new StringWriter();
        var display = new PlainProgressDisplay(output, time);

        display.Report(new WorkProgress(WorkStage.Load, 0, 4 << 20, WorkUnit.Bytes) { Subject = "model.gguf" });
        time.Advance(TimeSpan.FromSeconds(2));
        display.Report(new WorkProgress(WorkStage.Load, 4 << 20, 4 << 20, WorkUnit.Bytes) { Subject = "model.gguf" });
        display.Show(new StepWork(-1, 3, new WorkProgress(WorkStage.Score, 0, 20, WorkUnit.Images)));
        time.Advance(TimeSpan.FromSeconds(4));
        display.Show(new StepWork(-1, 3, new WorkProgress(WorkStage.Score, 20, 20, WorkUnit.Images)));
        display.Show(StepEnd(-1, 3));
        display.Show(new StepWork(0, 3, new WorkProgress(WorkStage.Prefill, 480, 600, WorkUnit.Tokens)));
        time.Advance(TimeSpan.FromSeconds(2));
        display.Show(new StepWork(0, 3, new WorkProgress(WorkStage.Prefill, 600, 600, WorkUnit.Tokens)));
        display.Show(new StepWork(0, 3, new WorkProgress(WorkStage.Score, 0, 30, WorkUnit.Classes)));
        time.Advance(TimeSpan.FromSeconds(3));
        display.Show(new StepWork(0, 3, new WorkProgress(WorkStage.Score, 30, 30, WorkUnit.Classes)));
        display.Show(new StepWork(0, 3, new WorkProgress(WorkStage.Score, 10, 10, WorkUnit.Classes)));

        Assert.Equal(
        [
            "load      model.gguf 4.0/4.0 MiB, 2.0 MiB/s  0:02",
            "  seed score     20/20 images, 5.0 images/s  0:04",
            "seed: 3 accepted, 1 rejected, 0 proposed  best 42.5 \"a photo of a <category>.\"  elapsed 1:30  ETA 0:30",
            "  step 1/3 prefill   600/600 tokens (480 cached), 60.0 tokens/s  0:02",
            "  step 1/3 score     30/30 classes, 10.0 classes/s  0:03",
            "  step 1/3 score     10/10 classes (10 cached)  0:00",
        ], output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
    }

    [Fact]
    public async Task The_live_display_draws_with_escape_codes_and_keeps_summary_and_log_lines_above_it()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Standard,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        var display = new LiveProgressDisplay(console);

        var result = await display.RunAsync(async log =>
        {
            log.WriteLine("device   cpu (test)");
            display.Show(new StepWork(0, 3, new WorkProgress(WorkStage.Generate, 7, 40, WorkUnit.Tokens)));
            await Task.Delay(250);
            display.Show(StepEnd(0, 3));
            return 17;
        });

        Assert.Equal(17, result);
        var text = output.ToString();
        Assert.Contains("\u001b[", text);
        Assert.Contains("device   cpu (test)", text);
        Assert.Contains("step 1/3: 3 accepted, 1 rejected, 4 proposed  best 42.5", text);
        Assert.Contains("generate 7 tokens of at most 40", text);
        // Reports after the display is down change nothing.
        var length = output.ToString().Length;
        display.Show(new StepWork(1, 3, new WorkProgress(WorkStage.Score, 1, 2, WorkUnit.Images)));
        Assert.Equal(length, output.ToString().Length);
    }

    [Fact]
    public async Task A_process_whose_stderr_is_redirected_prints_plain_lines_in_the_order_of_the_work()
    {
        using var ws = new Workspace();
        ws.Write("run.yaml", Configs.Scripted("plain", steps: 2));

        var run = await ws.Exec("optimize", "--config", "run.yaml");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.DoesNotContain('\u001b', run.Stderr);
        Assert.DoesNotContain('\r', run.Stderr);
        var lines = run.ErrorLines;
        int At(string pattern) => Array.FindIndex(lines, l => Regex.IsMatch(l, pattern));
        // The keyword fitness counts images as a VLM would see them: each template on all 10 classes × 1 shot.
        int[] order = [At(@"^  seed score     10/10 images"), At("^seed: "), At(@"^  step 1/2 score     (\d*0)/\1 images"), At("^step 1/2: "), At("^step 2/2: ")];
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
    }
}

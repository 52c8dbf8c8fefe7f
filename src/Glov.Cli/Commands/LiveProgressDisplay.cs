using Glov.Core.Optimization;
using Spectre.Console;

namespace Glov.Cli.Commands;

/// <summary>
/// Progress on a terminal: a Spectre.Console live display, redrawn in place, with a row per running stage (load,
/// prefill, generate, score: a bar, the amounts and rate, the step) and a row for the run's steps (done, best, ETA);
/// summary lines and the run's log lines are written above it and stay.
/// </summary>
public sealed class LiveProgressDisplay(IAnsiConsole console, TimeProvider? time = null) : ProgressDisplay(time)
{
    private readonly Dictionary<WorkStage, ProgressTask> _stages = [];
    private ProgressContext? _context;
    private ProgressTask? _steps;

    public override Task<T> RunAsync<T>(Func<TextWriter, Task<T>> body) =>
        console.Progress()
            .AutoClear(true)
            // A finished stage's row goes until the next step needs it again: what shows is what is running.
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 20 }, new PercentageColumn(),
                new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                _context = context;
                try
                {
                    // Engines' notices may come from their own threads.
                    using var log = TextWriter.Synchronized(new ConsoleLineWriter(WriteLine));
                    return await body(log).ConfigureAwait(false);
                }
                finally
                {
                    _context = null;
                    _stages.Clear();
                    _steps = null;
                }
            });

    protected override void WriteLine(string line) => console.WriteLine(line);

    protected override void Show(WorkStatus status)
    {
        if (_context is not { } context)
            return;
        if (!_stages.TryGetValue(status.Work.Stage, out var task))
            _stages[status.Work.Stage] = task = context.AddTask(status.Stage);
        // The row's clock (which ticks between reports) starts with the stage.
        if (status.Started)
            task.StartTask();
        task.Description = Markup.Escape($"{status.Stage,-8} {status.Amount}  {status.Where}".TrimEnd());
        task.MaxValue = Math.Max(1, status.Work.Total);
        task.Value = status.Work.Total == 0 ? 1 : status.Work.Done;
    }

    protected override void StepEnded(OptimizerProgress p)
    {
        if (_context is not { } context)
            return;
        _steps ??= context.AddTask("steps", maxValue: Math.Max(1, p.Steps));
        var eta = p.Eta is { } e ? $", ETA {WorkStatus.Clock(e)}" : "";
        _steps.Description = Markup.Escape($"steps    {Math.Max(0, p.Step + 1)}/{p.Steps}, best {p.Best.Score:0.0}{eta}");
        _steps.Value = Math.Max(0, p.Step + 1);
    }
}

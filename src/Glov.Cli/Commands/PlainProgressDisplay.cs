using Glov.Core.Optimization;

namespace Glov.Cli.Commands;

/// <summary>
/// Progress as plain lines, for a log or a pipe: every summary line, and of each stage inside a step the line
/// that ends it (what was done, the rate, the time taken) plus, while it runs, at most one line per
/// <see cref="Interval"/>. No escape codes, no carriage returns: what tests and CI read.
/// </summary>
public sealed class PlainProgressDisplay(TextWriter writer, TimeProvider? time = null) : ProgressDisplay(time)
{
    private TimeSpan _printedAt;
    private bool _ended;

    /// <summary>How often a running stage may print a line.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    public override Task<T> RunAsync<T>(Func<TextWriter, Task<T>> body) => body(writer);

    protected override void WriteLine(string line) => writer.WriteLine(line);

    protected override void Show(WorkStatus status)
    {
        if (status.Started)
        {
            _printedAt = TimeSpan.Zero;
            _ended = false;
        }
        // An ended stage stays quiet until it starts again: a repeated last report prints nothing.
        if (_ended)
            return;
        _ended = status.Work.Finished;
        if (!_ended && status.Elapsed - _printedAt < Interval)
            return;
        _printedAt = status.Elapsed;
        writer.WriteLine(status.Line);
    }
}

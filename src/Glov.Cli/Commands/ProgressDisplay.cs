using System.Globalization;
using Glov.Core.Optimization;
using Glov.Core.Text;
using Spectre.Console;

namespace Glov.Cli.Commands;

/// <summary>
/// What a person sees on stderr while glov works: a summary line after the seed and after every step (with the
/// prompt tokens reused from the LLM's cache of the step before; steps a
/// resumed run takes from its journal summed up in one line, printed before the first live step or by
/// <see cref="Flush"/>), and, inside a step, what the engines are doing as they do it: model loading, prefill,
/// generation with tokens/s, scoring with images or class prompts done. On a terminal that is a live display
/// (<see cref="LiveProgressDisplay"/>); when stderr is redirected, plain lines (<see cref="PlainProgressDisplay"/>).
/// Engines report from their own threads; reports are shown one at a time, in the order they arrive.
/// </summary>
public abstract class ProgressDisplay : IProgress<WorkProgress>
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private OptimizerProgress? _lastFromJournal;
    private (int? Step, WorkStage Stage, string? Subject)? _stage;
    private long _stageStarted;
    private long _stageFirstDone;
    private long _lastDone;

    protected ProgressDisplay(TimeProvider? time) => _time = time ?? TimeProvider.System;

    /// <summary>Live where stderr is the process's own, not redirected, and a terminal Spectre.Console finds
    /// interactive and able to move the cursor; plain lines otherwise (a file, a pipe, CI, TERM=dumb, tests).</summary>
    public static ProgressDisplay For(TextWriter stderr)
    {
        if (ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
            if (console.Profile.Capabilities is { Interactive: true, Ansi: true })
                return new LiveProgressDisplay(console);
        }
        return new PlainProgressDisplay(stderr);
    }

    /// <summary>Runs <paramref name="body"/> while the display is up. The body writes its own log lines to the
    /// writer it is given, so that on a terminal they appear above the live display instead of through it.</summary>
    public abstract Task<T> RunAsync<T>(Func<TextWriter, Task<T>> body);

    /// <summary>A step (or the seed) has ended.</summary>
    public void Show(OptimizerProgress p)
    {
        lock (_gate)
        {
            _stage = null;
            if (p.FromJournal)
            {
                _lastFromJournal = p;
                return;
            }
            FlushJournalSummary();
            var c = CultureInfo.InvariantCulture;
            var head = p.Step < 0 ? "seed" : $"step {p.Step + 1}/{p.Steps}";
            var norm = p.SteeringNorm is { } n ? string.Format(c, "  |v| {0:0.###}", n) : "";
            var reuse = p.PromptReuse is { } r ? string.Format(c, "  prompt reused {0}/{1} ({2:0%})", r.ReusedTokens, r.PromptTokens, r.Fraction) : "";
            var eta = p.Eta is { } e ? $"  ETA {WorkStatus.Clock(e)}" : "";
            WriteLine(string.Format(c, "{0}: {1} accepted, {2} rejected, {3} proposed  best {4:0.0} \"{5}\"{6}{7}  elapsed {8}{9}",
                head, p.Accepted, p.Rejected, p.CandidatesProposed, p.Best.Score, TerminalText.Safe(p.Best.Template.Text), norm, reuse,
                WorkStatus.Clock(p.Elapsed), eta));
            StepEnded(p);
        }
    }

    /// <summary>What an engine reports inside a step.</summary>
    public void Show(StepWork work) => Work(work.Step, work.Steps, work.Work);

    /// <summary>What an engine reports outside the loop: loading a model, encoding a scorer's images.</summary>
    public void Report(WorkProgress value) => Work(null, 0, value);

    /// <summary>Prints the summary of the steps taken from the journal, if any are pending.</summary>
    public void Flush()
    {
        lock (_gate)
            FlushJournalSummary();
    }

    /// <summary>One line that stays (above a live display).</summary>
    protected abstract void WriteLine(string line);

    /// <summary>The newest report of the stage at work, with its clock.</summary>
    protected abstract void Show(WorkStatus status);

    /// <summary>Called after a step's summary line.</summary>
    protected virtual void StepEnded(OptimizerProgress p)
    {
    }

    private void Work(int? step, int steps, WorkProgress work)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var key = (step, work.Stage, work.Subject);
            // A new stage, or the same stage called again (the next batch a fitness scores) starts a new clock.
            var started = _stage != key || work.Done < _lastDone;
            if (started)
            {
                _stage = key;
                _stageStarted = now;
                _stageFirstDone = work.Done;
            }
            _lastDone = work.Done;
            var elapsed = _time.GetElapsedTime(_stageStarted, now);
            double? rate = elapsed > TimeSpan.Zero && work.Done > _stageFirstDone ? (work.Done - _stageFirstDone) / elapsed.TotalSeconds : null;
            Show(new WorkStatus(step, steps, work, elapsed, rate, _stageFirstDone, started));
        }
    }

    private void FlushJournalSummary()
    {
        if (_lastFromJournal is not { } last)
            return;
        var steps = last.Step switch { < 0 => "the seed", 0 => "the seed and step 1", _ => $"the seed and steps 1-{last.Step + 1}" };
        WriteLine(string.Format(CultureInfo.InvariantCulture, "resumed: {0} (of {1} steps) from the journal ({2} proposed, nothing run again)  best {3:0.0} \"{4}\"",
            steps, last.Steps, last.CandidatesProposed, last.Best.Score, TerminalText.Safe(last.Best.Template.Text)));
        _lastFromJournal = null;
    }
}

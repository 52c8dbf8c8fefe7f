using System.Text;

namespace Glov.Cli.Commands;

/// <summary>A writer that hands on whole lines, so that log lines written while a live display is up go
/// through the display (which keeps them above itself) instead of straight to the terminal.</summary>
public sealed class ConsoleLineWriter(Action<string> writeLine) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            writeLine(_line.ToString().TrimEnd('\r'));
            _line.Clear();
        }
        else
        {
            _line.Append(value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _line.Length > 0)
        {
            writeLine(_line.ToString());
            _line.Clear();
        }
        base.Dispose(disposing);
    }
}

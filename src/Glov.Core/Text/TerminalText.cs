using System.Globalization;
using System.Text;

namespace Glov.Core.Text;

/// <summary>
/// Text from models, journals and servers made safe to print: every control character (C0 including
/// newline and tab, DEL, C1) is written as a visible escape (<c>\x1B</c>), so an answer holding ESC, BEL
/// or NUL can never move the cursor, retitle the window or hide what was printed.
/// </summary>
public static class TerminalText
{
    public static bool IsControl(char c) => c < 0x20 || c is >= '\u007F' and <= '\u009F';

    public static string Safe(string? text) => Escape(text, keepLines: false);

    /// <summary>For text printed as a block of its own (a model's completion): newline and tab stay,
    /// every other control character (ESC, BEL, NUL, a lone carriage return that could overwrite a
    /// line) is escaped as in <see cref="Safe"/>.</summary>
    public static string SafeMultiline(string? text) => Escape(text, keepLines: true);

    private static bool Escaped(char c, bool keepLines) => IsControl(c) && !(keepLines && c is '\n' or '\t');

    private static string Escape(string? text, bool keepLines)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(c => Escaped(c, keepLines)))
            return text ?? "";
        var safe = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (Escaped(c, keepLines))
                safe.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            else
                safe.Append(c);
        }
        return safe.ToString();
    }
}

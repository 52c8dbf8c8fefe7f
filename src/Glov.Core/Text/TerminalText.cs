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

    public static string Safe(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(IsControl))
            return text ?? "";
        var safe = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (IsControl(c))
                safe.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            else
                safe.Append(c);
        }
        return safe.ToString();
    }
}

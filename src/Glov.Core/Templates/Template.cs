using System.Text;
using Glov.Core.Text;

namespace Glov.Core.Templates;

/// <summary>
/// A prompt in canonical form. Class templates hold exactly one <see cref="Placeholder"/>;
/// every other kind holds none. Filling uses plain substitution, so braces or other
/// format characters elsewhere in the text are never interpreted.
/// </summary>
public sealed record Template
{
    public const string Placeholder = "<category>";

    public string Text { get; }

    public PromptKind Kind { get; }

    private Template(string text, PromptKind kind)
    {
        Text = text;
        Kind = kind;
    }

    /// <summary>Wraps canonical text, checking the placeholder count the kind demands.</summary>
    public static Template Create(string text, PromptKind kind = PromptKind.ClassTemplate)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
            throw new ArgumentException("a template cannot be empty", nameof(text));
        if (ControlCharacter(trimmed) is { } control)
            throw new ArgumentException($"a template cannot hold the control character {TerminalText.Safe(control.ToString())}", nameof(text));
        var count = CountPlaceholders(trimmed);
        if (kind == PromptKind.ClassTemplate && count != 1)
            throw new ArgumentException($"a class template needs exactly one {Placeholder}, found {count}: \"{trimmed}\"", nameof(text));
        if (kind != PromptKind.ClassTemplate && count != 0)
            throw new ArgumentException($"a {Describe(kind)} cannot hold {Placeholder}: \"{trimmed}\"", nameof(text));
        return new Template(trimmed, kind);
    }

    /// <summary>The first control character other than line breaks and tabs (ESC, BEL, NUL, DEL, C1 …):
    /// text that could drive a terminal or hide itself is never a prompt.</summary>
    public static char? ControlCharacter(string text)
    {
        foreach (var c in text)
        {
            if (TerminalText.IsControl(c) && c is not ('\n' or '\r' or '\t'))
                return c;
        }
        return null;
    }

    /// <summary>What a text of this kind is called in messages.</summary>
    public static string Describe(PromptKind kind) => kind switch
    {
        PromptKind.ClassTemplate => "class template",
        PromptKind.FreeText => "free-text prompt",
        PromptKind.SystemPrompt => "system prompt",
        PromptKind.SafetyInstruction => "safety instruction",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static int CountPlaceholders(string text)
    {
        var count = 0;
        for (var i = text.IndexOf(Placeholder, StringComparison.Ordinal); i >= 0;
             i = text.IndexOf(Placeholder, i + Placeholder.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    /// <summary>The text a VLM sees for one class; underscores in class names become spaces.</summary>
    public string Fill(string className)
    {
        if (Kind != PromptKind.ClassTemplate)
            return Text;
        return Text.Replace(Placeholder, CleanClassName(className), StringComparison.Ordinal);
    }

    public static string CleanClassName(string className) =>
        string.Join(' ', className.Replace('_', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Dedup key: case, white space and quotes do not make a template new.</summary>
    public string Key => NormaliseKey(Text);

    public static string NormaliseKey(string text)
    {
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var raw in text.Trim())
        {
            var c = char.ToLowerInvariant(raw);
            if (c is '"' or '\'' or '`' or '\u2018' or '\u2019' or '\u201C' or '\u201D')
                continue;
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (pendingSpace)
                sb.Append(' ');
            pendingSpace = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    public override string ToString() => Text;
}

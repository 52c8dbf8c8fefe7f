using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Glov.Core.Text;

/// <summary>
/// Keeps credentials out of everything glov stores or prints: the values of API keys read from the
/// environment (registered when read) and the user-info part of URLs (<c>https://user:pass@host</c>)
/// are replaced by <see cref="Mask"/>. The journal applies it to what it stores from errors, and the
/// CLI to every error line, so a server error that quotes the key back ends neither on disk nor on screen.
/// </summary>
public static partial class Secrets
{
    public const string Mask = "[redacted]";

    /// <summary>Shorter values are not secrets worth the name and would mask ordinary words.</summary>
    private const int MinLength = 6;

    private static readonly ConcurrentDictionary<string, byte> Known = new(StringComparer.Ordinal);

    public static void Register(string? secret)
    {
        if (secret is { Length: >= MinLength })
            Known.TryAdd(secret, 0);
    }

    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text ?? "";
        foreach (var secret in Known.Keys)
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return UserInfo().Replace(text, "$1" + Mask + "@");
    }

    [GeneratedRegex(@"\b([A-Za-z][A-Za-z0-9+.\-]*://)[^/\s@?#]+@")]
    private static partial Regex UserInfo();
}

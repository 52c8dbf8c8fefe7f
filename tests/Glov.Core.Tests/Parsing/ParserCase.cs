using System.Reflection;
using Glov.Core.Templates;

namespace Glov.Core.Tests.Parsing;

/// <param name="Expected">Per candidate: "OK" or a rejection reason, and the template text or fragment.</param>
public sealed record ParserCase(string Name, PromptKind Kind, IReadOnlyList<string> Seen, string Raw, IReadOnlyList<(string Result, string Text)> Expected)
{
    private const string CaseHeader = "--- case: ";

    public static readonly IReadOnlyDictionary<string, ParserCase> All = Load();

    /// <summary>Reads the case table (ParserCases.txt; its header explains the format).</summary>
    private static Dictionary<string, ParserCase> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ParserCases.txt")
                           ?? throw new InvalidOperationException("ParserCases.txt is not embedded in the test assembly");
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().ReplaceLineEndings("\n").Split('\n');
        var cases = new Dictionary<string, ParserCase>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith(CaseHeader, StringComparison.Ordinal))
                continue;
            var header = lines[i][CaseHeader.Length..].Trim();
            var kind = header.EndsWith("[free]", StringComparison.Ordinal) ? PromptKind.FreeText : PromptKind.ClassTemplate;
            var name = header.Replace("[free]", "", StringComparison.Ordinal).Trim();
            var seen = new List<string>();
            var raw = new List<string>();
            var expected = new List<(string, string)>();
            for (i++; i < lines.Length && !lines[i].StartsWith(CaseHeader, StringComparison.Ordinal); i++)
            {
                if (lines[i].StartsWith("=> ", StringComparison.Ordinal))
                {
                    var bar = lines[i].IndexOf(" |", StringComparison.Ordinal);
                    expected.Add((lines[i][3..bar].Trim(), lines[i][(bar + 2)..].Trim()));
                }
                else if (expected.Count == 0 && raw.Count == 0 && lines[i].StartsWith("seen: ", StringComparison.Ordinal))
                    seen.Add(lines[i][6..]);
                else if (expected.Count == 0)
                    raw.Add(lines[i]);
            }
            i--;
            if (expected.Count == 0)
                throw new InvalidOperationException($"parser case {name} has no expected result");
            if (!cases.TryAdd(name, new ParserCase(name, kind, seen, string.Join('\n', raw), expected)))
                throw new InvalidOperationException($"parser case {name} appears twice");
        }
        return cases;
    }
}

using System.Text;
using System.Text.RegularExpressions;

namespace Glov.LlamaCpp.Tests;

/// <summary>
/// tiktoken's encoder written from its definition, for tests only: split with the pre-tokenizer
/// regex, then per piece (its UTF-8 bytes) merge the adjacent pair whose concatenation has the lowest
/// rank, leftmost first, until no pair is a token. Reads the rank file itself; shares nothing with
/// the GGUF conversion it checks.
/// </summary>
internal sealed class TiktokenOracle
{
    private static readonly Regex Split = new(
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        RegexOptions.CultureInvariant);

    private readonly Dictionary<string, int> _ranks = new(StringComparer.Ordinal);

    public TiktokenOracle(string rankFile)
    {
        foreach (var line in File.ReadLines(rankFile))
        {
            var space = line.IndexOf(' ');
            _ranks[Encoding.Latin1.GetString(Convert.FromBase64String(line[..space]))] = int.Parse(line[(space + 1)..]);
        }
    }

    public List<int> Encode(string text)
    {
        var ids = new List<int>();
        foreach (Match m in Split.Matches(text))
        {
            var piece = Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(m.Value));
            if (_ranks.TryGetValue(piece, out var whole))
            {
                ids.Add(whole);
                continue;
            }
            var parts = piece.Select(c => c.ToString()).ToList();
            while (true)
            {
                var (at, best) = (-1, int.MaxValue);
                for (var i = 0; i + 1 < parts.Count; i++)
                    if (_ranks.TryGetValue(parts[i] + parts[i + 1], out var r) && r < best)
                        (at, best) = (i, r);
                if (at < 0)
                    break;
                parts[at] += parts[at + 1];
                parts.RemoveAt(at + 1);
            }
            ids.AddRange(parts.Select(p => _ranks[p]));
        }
        return ids;
    }
}

namespace Glov.Vision.Tokenization;

/// <summary>GPT-2/CLIP's reversible map from the 256 byte values to printable characters, in the
/// order CLIP's vocabulary lists them (printable Latin-1 first, then the remapped control bytes).</summary>
public static class ByteLevelAlphabet
{
    public static IReadOnlyList<string> Symbols { get; } = Build();

    private static string[] Build()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1)
            .Concat(Enumerable.Range('¡', '¬' - '¡' + 1))
            .Concat(Enumerable.Range('®', 'ÿ' - '®' + 1))
            .ToList();
        var symbols = printable.Select(b => ((char)b).ToString()).ToList();
        var next = 0;
        for (var b = 0; b < 256; b++)
        {
            if (printable.Contains(b))
                continue;
            symbols.Add(((char)(256 + next)).ToString());
            next++;
        }
        return [.. symbols];
    }
}

namespace Glov.LlamaCpp.Conversion;

/// <summary>GPT-2's byte-to-unicode map: every byte becomes a printable character (printable Latin-1
/// bytes stand for themselves, the rest map to U+0100 onwards), so a byte-level BPE vocabulary can be
/// stored as text with no spaces or control characters. llama.cpp's <c>gpt2</c> tokenizer expects it.</summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = Build();

    public static string Encode(string latin1Bytes) => string.Create(latin1Bytes.Length, latin1Bytes, (span, s) =>
    {
        for (var i = 0; i < s.Length; i++)
            span[i] = ByteToChar[s[i]];
    });

    private static char[] Build()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = (char)(printable ? b : next++);
        }
        return map;
    }
}

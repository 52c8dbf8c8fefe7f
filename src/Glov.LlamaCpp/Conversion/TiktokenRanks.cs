using System.Text;
using Glov.Core;

namespace Glov.LlamaCpp.Conversion;

/// <summary>
/// A tiktoken "BPE ranks" file (Llama 3's <c>tokenizer.model</c>): one line per token,
/// <c>base64-of-the-bytes rank</c>, ranks 0..n−1 each once. A token's rank is its id and its merge
/// priority. Tokens are held as Latin-1 strings (one char per byte) so they hash and concatenate cheaply.
/// </summary>
public sealed class TiktokenRanks
{
    private TiktokenRanks(string path, string[] tokens)
    {
        Path = path;
        Tokens = tokens;
        var ranks = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        for (var r = 0; r < tokens.Length; r++)
            ranks[tokens[r]] = r;
        Ranks = ranks;
    }

    public string Path { get; }

    /// <summary>Token bytes by rank, one Latin-1 char per byte.</summary>
    public IReadOnlyList<string> Tokens { get; }

    public IReadOnlyDictionary<string, int> Ranks { get; }

    public int Count => Tokens.Count;

    public static TiktokenRanks Read(string path)
    {
        if (!File.Exists(path))
            throw new GlovUserException($"{path}: tokenizer file not found");
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path, Encoding.ASCII);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GlovUserException($"{path}: cannot read tokenizer ({e.Message})", e);
        }
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        if (count == 0)
            throw new GlovUserException($"{path}: not a tiktoken rank file (it is empty)");
        var tokens = new string?[count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var fields = lines[i].Split(' ');
            byte[] bytes;
            if (fields.Length != 2 || !int.TryParse(fields[1], System.Globalization.NumberStyles.None, null, out var rank) || (bytes = Base64(fields[0])).Length == 0)
                throw new GlovUserException($"{path}: line {i + 1} is not '<base64 token> <rank>', so this is not a tiktoken rank file");
            if (rank >= count)
                throw new GlovUserException($"{path}: line {i + 1}: rank {rank} leaves a gap (the file has {count} lines, so ranks must be 0..{count - 1})");
            if (tokens[rank] is not null)
                throw new GlovUserException($"{path}: line {i + 1}: rank {rank} appears twice");
            var token = Encoding.Latin1.GetString(bytes);
            if (!seen.Add(token))
                throw new GlovUserException($"{path}: line {i + 1}: token '{fields[0]}' appears twice");
            tokens[rank] = token;
        }
        return new TiktokenRanks(path, tokens!);
    }

    private static byte[] Base64(string s)
    {
        try
        {
            return Convert.FromBase64String(s);
        }
        catch (FormatException)
        {
            return [];
        }
    }
}

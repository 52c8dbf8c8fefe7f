using Glov.Core;
using Glov.Vision.Fixtures;
using Glov.Vision.Model;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Glov.Vision.Tests;

public class ModelTests
{
    private static readonly string[] Texts =
    [
        "a photo of a cat.",
        "a blurry photo of a large airplane flying over the mountains at dusk.",
        "dog",
        "a bad photo of the automobile, taken with an old camera on a rainy day in the city.",
        "ship",
        "a photo of a truck.",
    ];

    [Fact]
    public void Bindings_are_read_from_the_graph()
    {
        using var model = ClipModel.Open(Assets.TinyModel);
        Assert.Equal(new TextBinding("input_ids", "attention_mask", "text_embeds", null), model.Text);
        Assert.Equal(new VisionBinding("pixel_values", "image_embeds", 32, 32), model.Vision);
        Assert.True(model.DynamicSequence);
        Assert.Equal(77, model.Tokenizer.ContextLength);
        Assert.Equal(49408, model.Tokenizer.Vocabulary.Count);
    }

    [Fact]
    public void Trimmed_batches_equal_padded_batches()
    {
        using var model = ClipModel.Open(Assets.TinyModel);
        var trimmed = model.EncodeTexts(Texts, batchSize: 4, trimToLongest: true);
        var padded = model.EncodeTexts(Texts, batchSize: 4, trimToLongest: false);
        AssertClose(padded, trimmed, 1e-5f);
        Assert.NotEqual(trimmed[0], trimmed[5]);
    }

    [Fact]
    public void Fixed_length_export_without_attention_mask_gives_the_same_features()
    {
        using var dynamic = ClipModel.Open(Assets.TinyModel);
        using var fixedLength = ClipModel.Open(Assets.TinyStaticModel);
        Assert.False(fixedLength.DynamicSequence);
        Assert.Null(fixedLength.Text.AttentionMask);
        Assert.Equal(77, fixedLength.Text.FixedSequenceLength);
        AssertClose(dynamic.EncodeTexts(Texts), fixedLength.EncodeTexts(Texts), 1e-5f);
    }

    [Fact]
    public void Combined_model_gives_the_normalised_features_of_the_separate_towers()
    {
        using var separate = ClipModel.Open(Assets.TinyModel);
        using var combined = ClipModel.Open(Assets.TinyCombinedModel);
        Assert.Null(combined.Folder.TextModel);
        var expected = separate.EncodeTexts(Texts).Select(v => Features.Vectors.Normalized(v)).ToArray();
        AssertClose(expected, combined.EncodeTexts(Texts), 1e-5f);

        var pixels = Enumerable.Range(0, 2 * 3 * 32 * 32).Select(i => (float)Math.Sin(i * 0.01)).ToArray();
        var images = separate.EncodeImages(pixels, 2).Select(v => Features.Vectors.Normalized(v)).ToArray();
        AssertClose(images, combined.EncodeImages(pixels, 2), 1e-5f);
    }

    /// <summary>The graph pools like Hugging Face's CLIP: text_embeds is the final hidden state at the
    /// first end token (arg-max of input_ids) times the projection, and attention is causal.</summary>
    [Fact]
    public void Text_tower_pools_at_the_end_token_and_attends_causally()
    {
        var path = Path.Combine(Assets.TinyModel, "onnx", "text_model.onnx");
        var projection = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph.Initializer.Single(t => t.Name == "text_projection.weight");
        var weights = new float[projection.RawData.Length / 4];
        Buffer.BlockCopy(projection.RawData.ToByteArray(), 0, weights, 0, projection.RawData.Length);
        var (width, dim) = ((int)projection.Dims[0], (int)projection.Dims[1]);

        using var session = new InferenceSession(path);
        long[] ids = [49406, 320, 2368, 49407, 49407, 49407];
        var (embeds, hidden) = Run(session, ids, [1, 1, 1, 1, 0, 0]);
        for (var j = 0; j < dim; j++)
        {
            double expected = 0;
            for (var k = 0; k < width; k++)
                expected += hidden[3 * width + k] * weights[k * dim + j];
            Assert.Equal(expected, embeds[j], 4);
        }

        var (_, changedLater) = Run(session, [49406, 320, 2368, 49407, 1125, 539], [1, 1, 1, 1, 1, 1]);
        for (var k = 0; k < 4 * width; k++)
            Assert.Equal(hidden[k], changedLater[k], 5);
        var (reordered, _) = Run(session, [49406, 2368, 320, 49407], [1, 1, 1, 1]);
        Assert.True(Enumerable.Range(0, dim).Max(j => Math.Abs(reordered[j] - embeds[j])) > 1e-3, "word order must change the features");
    }

    [Fact]
    public void Fixture_generation_is_deterministic()
    {
        var again = Assets.NewScratchFolder("again");
        ClipFixtureGenerator.Write(again, new ClipFixtureOptions(Assets.ClipMerges) { TextOnly = true });
        Assert.Equal(File.ReadAllBytes(Path.Combine(Assets.TinyModel, "onnx", "text_model.onnx")), File.ReadAllBytes(Path.Combine(again, "onnx", "text_model.onnx")));
    }

    [Fact]
    public void Onnx_file_that_is_not_a_clip_tower_is_refused()
    {
        var folder = CopyOfTiny("not-clip");
        var g = new OnnxGraphBuilder();
        var y = g.Op("Relu", ["x"]);
        g.Rename(y, "y");
        g.Input("x", TensorProto.Types.DataType.Float, 1, 4);
        g.Output("y", TensorProto.Types.DataType.Float, 1, 4);
        var path = Path.Combine(folder, "onnx", "text_model.onnx");
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(g.ToModel()));
        var error = Assert.Throws<GlovUserException>(() => ClipModel.Open(folder));
        Assert.Contains(path, error.Message);
        Assert.Contains("not a CLIP text tower", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void File_that_is_not_onnx_is_refused()
    {
        var folder = CopyOfTiny("garbage");
        var path = Path.Combine(folder, "onnx", "vision_model.onnx");
        File.WriteAllText(path, "this is not a protobuf");
        var error = Assert.Throws<GlovUserException>(() => ClipModel.Open(folder));
        Assert.StartsWith(path + ": not a loadable ONNX model", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Tokenizer_with_a_different_vocabulary_size_is_refused()
    {
        var folder = CopyOfTiny("small-vocab");
        File.Delete(Path.Combine(folder, "config.json"));
        var vocabulary = new Dictionary<string, int> { ["a</w>"] = 0, ["c"] = 1, ["t</w>"] = 2, ["<|startoftext|>"] = 3, ["<|endoftext|>"] = 4 };
        var tokenizer = Path.Combine(folder, "tokenizer.json");
        File.WriteAllText(tokenizer, System.Text.Json.JsonSerializer.Serialize(new { model = new { type = "BPE", vocab = vocabulary, merges = Array.Empty<string>() } }));
        var error = Assert.Throws<GlovUserException>(() => ClipModel.Open(folder));
        Assert.Equal($"{folder}: the tokenizer has 5 tokens but the text tower's embedding table has 49408 rows", error.Message);
    }

    [Fact]
    public void Config_vocab_size_that_disagrees_with_the_tokenizer_is_refused()
    {
        var folder = CopyOfTiny("config-vocab");
        var config = Path.Combine(folder, "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"vocab_size\": 49408", "\"vocab_size\": 32000"));
        var error = Assert.Throws<GlovUserException>(() => ClipModel.Open(folder));
        Assert.Contains("49408 tokens", error.Message);
        Assert.Contains("vocab_size 32000", error.Message);
    }

    [Fact]
    public void Folder_without_towers_is_refused()
    {
        var folder = Assets.NewScratchFolder("empty-model");
        var error = Assert.Throws<GlovUserException>(() => ClipModel.Open(folder));
        Assert.StartsWith(folder + ": no onnx/text_model.onnx", error.Message);
    }

    internal static string CopyOfTiny(string name)
    {
        var folder = Assets.NewScratchFolder(name);
        foreach (var file in Directory.EnumerateFiles(Assets.TinyModel, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, Path.GetRelativePath(Assets.TinyModel, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return folder;
    }

    private static (float[] Embeds, float[] Hidden) Run(InferenceSession session, long[] ids, long[] mask)
    {
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, ids.Length]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [1, mask.Length]);
        using var options = new RunOptions();
        using var outputs = session.Run(options, ["input_ids", "attention_mask"], [idsValue, maskValue], ["text_embeds", "last_hidden_state"]);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }

    internal static void AssertClose(IReadOnlyList<float[]> expected, IReadOnlyList<float[]> actual, float tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Length, actual[i].Length);
            var worst = expected[i].Zip(actual[i], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= tolerance, $"row {i} differs by {worst}");
        }
    }
}

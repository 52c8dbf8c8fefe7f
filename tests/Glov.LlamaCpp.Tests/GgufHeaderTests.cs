using Glov.Core;
using Glov.LlamaCpp.Gguf;
using R = Glov.LlamaCpp.Tests.GgmlGgufReader;

namespace Glov.LlamaCpp.Tests;

/// <summary><see cref="GgufHeader"/> (the budget's model size, read without loading) against ggml's own parser.</summary>
public sealed class GgufHeaderTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"glov-gguf-header-{Guid.NewGuid():N}.gguf");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Parameters_tensor_bytes_and_scalar_metadata_match_ggml()
    {
        new GgufWriter { Alignment = 64 }
            .Set("general.architecture", GgufValue.Of("test"))
            .Set("tokenizer.ggml.tokens", GgufValue.Array(Enumerable.Range(0, 300).Select(i => $"tok{i}").ToArray()))
            .Set("nested.scores", GgufValue.Array([0.5f, 1.5f]))
            .Set("clip.vision.image_size", GgufValue.Of(336u))
            .Set("clip.vision.patch_size", GgufValue.Of(14))
            .Add(GgufTensor.FromValues("a.f32", [5, 3], GgmlType.F32, new float[15]))
            .Add(GgufTensor.FromValues("b.f16", [7], GgmlType.F16, new float[7]))
            .Add(GgufTensor.FromValues("c.q8", [64, 2], GgmlType.Q8_0, new float[128]))
            .Write(_path);

        var header = GgufHeader.Read(_path);

        var ctx = R.Open(_path);
        Assert.NotEqual(IntPtr.Zero, ctx);
        try
        {
            Assert.Equal(R.TensorCount(ctx), header.Tensors);
            Assert.Equal(new FileInfo(_path).Length - (long)R.DataOffset(ctx), header.TensorBytes);
            var sizes = new[] { "a.f32", "b.f16", "c.q8" }.Sum(n => (long)R.TensorSize(ctx, R.FindTensor(ctx, n)));
            Assert.InRange(header.TensorBytes, sizes, sizes + 3 * 64); // each tensor padded to the alignment
        }
        finally
        {
            R.Free(ctx);
        }
        Assert.Equal(15 + 7 + 128, header.Parameters);
        Assert.Equal(336, header.Integer("clip.vision.image_size"));
        Assert.Equal(14, header.Integer("clip.vision.patch_size"));
        Assert.Equal("test", header.Metadata["general.architecture"]);
        Assert.Null(header.Integer("tokenizer.ggml.tokens")); // arrays are skipped
    }

    [Fact]
    public void A_truncated_or_foreign_file_is_one_line_naming_it()
    {
        new GgufWriter().Set("general.architecture", GgufValue.Of("test"))
            .Add(GgufTensor.FromValues("a", [4], GgmlType.F32, new float[4])).Write(_path);
        var bytes = File.ReadAllBytes(_path);
        File.WriteAllBytes(_path, bytes[..40]);
        var truncated = Assert.Throws<GlovUserException>(() => GgufHeader.Read(_path));
        Assert.Equal($"{_path}: truncated GGUF header", truncated.Message);

        File.WriteAllText(_path, "not a model at all");
        var foreign = Assert.Throws<GlovUserException>(() => GgufHeader.Read(_path));
        Assert.Equal($"{_path}: not a GGUF file (no GGUF magic)", foreign.Message);
    }
}

using Glov.LlamaCpp.Gguf;

namespace Glov.Generative.Multimodal;

/// <summary>
/// Writes a random-weight LLaVA-style mmproj GGUF (CLIP ViT + MLP projector) that llama.cpp's
/// multimodal loader accepts: the keys and tensor names of its <c>clip</c> loader with projector
/// type <c>mlp</c>. Weights are drawn from a seeded generator, so the same seed gives the same file;
/// the values carry no meaning, which is all a pipeline test or a speed benchmark needs.
/// </summary>
public static class ClipProjectorWriter
{
    // CLIP's published normalisation constants (also LLaVA's).
    private static readonly float[] ImageMean = [0.48145466f, 0.4578275f, 0.40821073f];
    private static readonly float[] ImageStd = [0.26862954f, 0.26130258f, 0.27577711f];

    public static void Write(string path, ClipProjectorShape shape, int seed, GgmlType matrixType = GgmlType.F32) =>
        Build(shape, seed, matrixType).Write(path);

    /// <summary>The file's contents before writing; a tensor's values can be enumerated again and again.</summary>
    public static GgufWriter Build(ClipProjectorShape shape, int seed, GgmlType matrixType = GgmlType.F32)
    {
        if (shape.ImageSize % shape.PatchSize != 0 || shape.Width % shape.Heads != 0 || shape.Blocks < 2)
            throw new ArgumentException("image size must be a multiple of the patch size, width of the head count, and at least two blocks are needed", nameof(shape));
        var random = new Random(seed);
        var w = new GgufWriter()
            .Set("general.architecture", GgufValue.Of("clip"))
            .Set("general.name", GgufValue.Of($"glov random mmproj (seed {seed})"))
            .Set("clip.has_vision_encoder", GgufValue.Of(true))
            .Set("clip.projector_type", GgufValue.Of("mlp"))
            .Set("clip.use_gelu", GgufValue.Of(false))
            .Set("clip.vision.image_size", GgufValue.Of((uint)shape.ImageSize))
            .Set("clip.vision.patch_size", GgufValue.Of((uint)shape.PatchSize))
            .Set("clip.vision.embedding_length", GgufValue.Of((uint)shape.Width))
            .Set("clip.vision.feed_forward_length", GgufValue.Of((uint)shape.FeedForward))
            .Set("clip.vision.projection_dim", GgufValue.Of((uint)shape.OutputWidth))
            .Set("clip.vision.block_count", GgufValue.Of((uint)shape.Blocks))
            .Set("clip.vision.attention.head_count", GgufValue.Of((uint)shape.Heads))
            .Set("clip.vision.attention.layer_norm_epsilon", GgufValue.Of(1e-5f))
            .Set("clip.vision.image_mean", GgufValue.Array(ImageMean))
            .Set("clip.vision.image_std", GgufValue.Array(ImageStd));

        var d = shape.Width;
        // ggml order: the innermost dimension first, so a [out, in] matrix is written as [in, out].
        w.Add(Random("v.patch_embd.weight", [shape.PatchSize, shape.PatchSize, 3, d], matrixType, random, 1.0 / Math.Sqrt(3 * shape.PatchSize * shape.PatchSize)));
        w.Add(Random("v.patch_embd.bias", [d], GgmlType.F32, random, 0.02));
        w.Add(Random("v.position_embd.weight", [d, shape.PatchCount], GgmlType.F32, random, 0.02));
        AddNorm(w, "v.pre_ln", d);
        for (var b = 0; b < shape.Blocks; b++)
        {
            var p = $"v.blk.{b}";
            AddNorm(w, $"{p}.ln1", d);
            foreach (var m in new[] { "attn_q", "attn_k", "attn_v", "attn_out" })
                AddLinear(w, $"{p}.{m}", d, d, matrixType, random);
            AddNorm(w, $"{p}.ln2", d);
            AddLinear(w, $"{p}.ffn_up", d, shape.FeedForward, matrixType, random);
            AddLinear(w, $"{p}.ffn_down", shape.FeedForward, d, matrixType, random);
        }
        AddLinear(w, "mm.0", d, shape.ProjectorHidden, matrixType, random);
        AddLinear(w, "mm.2", shape.ProjectorHidden, shape.OutputWidth, matrixType, random);
        return w;
    }

    private static void AddNorm(GgufWriter w, string name, int width)
    {
        w.Add(GgufTensor.FromValues($"{name}.weight", [width], GgmlType.F32, Enumerable.Repeat(1f, width).ToArray()));
        w.Add(GgufTensor.FromValues($"{name}.bias", [width], GgmlType.F32, new float[width]));
    }

    private static void AddLinear(GgufWriter w, string name, int inputs, int outputs, GgmlType type, Random random)
    {
        w.Add(Random($"{name}.weight", [inputs, outputs], type, random, 1.0 / Math.Sqrt(inputs)));
        w.Add(Random($"{name}.bias", [outputs], GgmlType.F32, random, 0.02));
    }

    /// <summary>Uniform values in ±√3·scale (standard deviation <paramref name="scale"/>), drawn row by
    /// row while the file is written, so real-size towers never sit in memory. Each tensor has its own
    /// generator seeded from the shared one, so the values do not depend on when they are drawn.</summary>
    private static GgufTensor Random(string name, long[] shape, GgmlType type, Random random, double scale)
    {
        var seed = random.Next();
        var row = (int)shape[0];
        var rows = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        return new GgufTensor(name, shape, type, Rows(seed, row, rows, Math.Sqrt(3) * scale));
    }

    private static IEnumerable<float[]> Rows(int seed, int row, long rows, double amplitude)
    {
        var random = new Random(seed);
        for (long r = 0; r < rows; r++)
        {
            var values = new float[row];
            for (var i = 0; i < row; i++)
                values[i] = (float)((random.NextDouble() * 2 - 1) * amplitude);
            yield return values;
        }
    }
}

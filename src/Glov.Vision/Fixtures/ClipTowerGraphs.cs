using Onnx;

namespace Glov.Vision.Fixtures;

/// <summary>Writes CLIP's two encoders as ONNX graphs in the shape Hugging Face's exporter produces:
/// pre-norm transformer blocks with quick-GELU MLPs; the text tower embeds tokens, adds positions,
/// masks attention causally and by the attention mask, and pools at the end token found as the arg-max
/// of input_ids; the vision tower embeds patches with a strided convolution and pools the class token.</summary>
internal sealed class ClipTowerGraphs(OnnxGraphBuilder g, SplitMix64 random)
{
    private const float NegativeInfinity = -1e9f;

    public sealed record TextValues(string InputIds, string? AttentionMask, string LastHiddenState, string Embeds);

    public sealed record VisionValues(string PixelValues, string LastHiddenState, string Embeds);

    public TextValues Text(TowerShape shape, int vocabulary, int context, int projection, bool attentionMask, string inputIds = "input_ids", string mask = "attention_mask")
    {
        var d = shape.Width;
        var x = g.Op("Gather", [g.Weight("token_embedding.weight", [vocabulary, d], random.Uniform(vocabulary * d, 0.02)), inputIds]);
        var sequence = g.Op("Slice", [g.Op("Shape", [inputIds]), g.Int64s("one", 1), g.Int64s("two", 2)]);
        var zero = g.Int64s("zero", 0);
        var positions = g.Op("Slice", [g.Weight("position_embedding.weight", [context, d], random.Uniform(context * d, 0.01)), zero, sequence]);
        x = g.Op("Add", [x, positions]);

        var causal = new float[context * context];
        for (var i = 0; i < context; i++)
            for (var j = i + 1; j < context; j++)
                causal[i * context + j] = NegativeInfinity;
        var square = g.Op("Concat", [sequence, sequence], ("axis", 0));
        var bias = g.Op("Slice", [g.Weight("causal_mask", [context, context], causal), g.Int64s("zeros2", 0, 0), square, g.Int64s("axes01", 0, 1)]);
        if (attentionMask)
        {
            var keep = g.Op("Cast", [mask], ("to", (int)TensorProto.Types.DataType.Float));
            var padding = g.Op("Mul", [g.Op("Sub", [g.Scalar("one_f", 1f), keep]), g.Scalar("masked", NegativeInfinity)]);
            bias = g.Op("Add", [bias, g.Op("Unsqueeze", [padding, g.Int64s("axes12", 1, 2)])]);
        }

        var heads = g.Int64s("heads_shape", 0, 0, shape.Heads, d / shape.Heads);
        var merged = g.Int64s("merged_shape", 0, 0, d);
        for (var layer = 0; layer < shape.Layers; layer++)
            x = Block($"encoder.layers.{layer}.", x, d, shape.Heads, heads, merged, bias);

        var hidden = LayerNorm("final_layer_norm.", x, d);
        var end = g.Op("Unsqueeze", [g.Op("ArgMax", [inputIds], ("axis", -1), ("keepdims", 0)), g.Int64s("last_axis", -1)]);
        var pooled = g.Op("GatherND", [hidden, end], ("batch_dims", 1));
        var embeds = g.Op("MatMul", [pooled, g.Weight("text_projection.weight", [d, projection], random.Uniform(d * projection, 1.0 / Math.Sqrt(d)))]);
        return new TextValues(inputIds, attentionMask ? mask : null, hidden, embeds);
    }

    public VisionValues Vision(TowerShape shape, int imageSize, int patchSize, int projection, string pixelValues = "pixel_values")
    {
        var d = shape.Width;
        var grid = imageSize / patchSize;
        var patchWeights = 3 * patchSize * patchSize;
        var patches = g.Op("Conv", [pixelValues, g.Weight("patch_embedding.weight", [d, 3, patchSize, patchSize], random.Uniform(d * patchWeights, 1.0 / Math.Sqrt(patchWeights)))],
            ("kernel_shape", new long[] { patchSize, patchSize }), ("strides", new long[] { patchSize, patchSize }));
        var tokens = g.Op("Transpose", [g.Op("Reshape", [patches, g.Int64s("patch_rows", 0, d, -1)])], ("perm", new long[] { 0, 2, 1 }));
        var batch = g.Op("Slice", [g.Op("Shape", [pixelValues]), g.Int64s("zero", 0), g.Int64s("one", 1)]);
        var classShape = g.Op("Concat", [batch, g.Int64s("class_rows", 1, d)], ("axis", 0));
        var classToken = g.Op("Expand", [g.Weight("class_embedding", [1, 1, d], random.Uniform(d, 0.02)), classShape]);
        var x = g.Op("Concat", [classToken, tokens], ("axis", 1));
        x = g.Op("Add", [x, g.Weight("position_embedding.weight", [grid * grid + 1, d], random.Uniform((grid * grid + 1) * d, 0.02))]);
        x = LayerNorm("pre_layrnorm.", x, d);

        var heads = g.Int64s("heads_shape", 0, 0, shape.Heads, d / shape.Heads);
        var merged = g.Int64s("merged_shape", 0, 0, d);
        for (var layer = 0; layer < shape.Layers; layer++)
            x = Block($"encoder.layers.{layer}.", x, d, shape.Heads, heads, merged, bias: null);

        var classIndex = g.Int64s("class_index", 0);
        var pooled = g.Op("Squeeze", [g.Op("Gather", [x, classIndex], ("axis", 1)), g.Int64s("axis1", 1)]);
        pooled = LayerNorm("post_layernorm.", pooled, d);
        var embeds = g.Op("MatMul", [pooled, g.Weight("visual_projection.weight", [d, projection], random.Uniform(d * projection, 1.0 / Math.Sqrt(d)))]);
        return new VisionValues(pixelValues, x, embeds);
    }

    private string Block(string name, string x, int d, int heads, string headsShape, string mergedShape, string? bias)
    {
        var h = LayerNorm(name + "layer_norm1.", x, d);
        string Heads(string projection, long[] perm) =>
            g.Op("Transpose", [g.Op("Reshape", [Linear(name + projection, h, d, d), headsShape])], ("perm", perm));
        var q = Heads("q_proj.", [0, 2, 1, 3]);
        var kTransposed = Heads("k_proj.", [0, 2, 3, 1]);
        var v = Heads("v_proj.", [0, 2, 1, 3]);
        var scores = g.Op("Mul", [g.Op("MatMul", [q, kTransposed]), g.Scalar(name + "scale", (float)(1.0 / Math.Sqrt(d / heads)))]);
        if (bias is not null)
            scores = g.Op("Add", [scores, bias]);
        var attended = g.Op("MatMul", [g.Op("Softmax", [scores], ("axis", -1)), v]);
        attended = g.Op("Reshape", [g.Op("Transpose", [attended], ("perm", new long[] { 0, 2, 1, 3 })), mergedShape]);
        x = g.Op("Add", [x, Linear(name + "out_proj.", attended, d, d)]);

        h = LayerNorm(name + "layer_norm2.", x, d);
        var up = Linear(name + "fc1.", h, d, 4 * d);
        var gelu = g.Op("Mul", [up, g.Op("Sigmoid", [g.Op("Mul", [up, g.Scalar(name + "quick_gelu", 1.702f)])])]);
        return g.Op("Add", [x, Linear(name + "fc2.", gelu, 4 * d, d)]);
    }

    private string Linear(string name, string x, int inputs, int outputs) =>
        g.Op("Add", [
            g.Op("MatMul", [x, g.Weight(name + "weight", [inputs, outputs], random.Uniform(inputs * outputs, 1.0 / Math.Sqrt(inputs)))]),
            g.Weight(name + "bias", [outputs], random.Uniform(outputs, 0.01)),
        ]);

    private string LayerNorm(string name, string x, int d)
    {
        var gain = random.Uniform(d, 0.05).Select(v => 1f + v).ToArray();
        return g.Op("LayerNormalization", [x, g.Weight(name + "weight", [d], gain), g.Weight(name + "bias", [d], random.Uniform(d, 0.02))],
            ("axis", -1), ("epsilon", 1e-5f));
    }
}

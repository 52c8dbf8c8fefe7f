using Glov.Generative.Multimodal;
using Glov.LlamaCpp.Gguf;

namespace Glov.Generative.Tests.Multimodal;

/// <summary>
/// Test-only float64 forward pass of a LLaVA-1.5-style tower as PyTorch defines it (CLIP ViT with
/// pre-LN, quick-GELU MLP, features of the second-to-last block, then Linear-GELU-Linear), reading
/// the weights <see cref="ClipProjectorWriter"/> generates in PyTorch's [out, in] layout. It shares
/// nothing with llama.cpp, so agreement shows the GGUF layout and keys mean what we intend.
/// </summary>
internal sealed class ClipReference(ClipProjectorShape shape, GgufWriter weights)
{
    private static readonly double[] Mean = [0.48145466, 0.4578275, 0.40821073];
    private static readonly double[] Std = [0.26862954, 0.26130258, 0.27577711];

    private double[] W(string name) => weights.Tensors.Single(t => t.Name == name).Data.SelectMany(c => c).Select(v => (double)v).ToArray();

    /// <summary>RGB bytes of an ImageSize×ImageSize image, row-major → one row of OutputWidth per patch.</summary>
    public double[][] Embed(byte[] rgb)
    {
        int s = shape.ImageSize, p = shape.PatchSize, d = shape.Width, g = s / p;
        var kernel = W("v.patch_embd.weight");   // [d][3][p][p]
        var bias = W("v.patch_embd.bias");
        var position = W("v.position_embd.weight");
        var x = new double[g * g][];
        for (var py = 0; py < g; py++)
            for (var px = 0; px < g; px++)
            {
                var v = new double[d];
                for (var o = 0; o < d; o++)
                {
                    var sum = bias[o];
                    for (var c = 0; c < 3; c++)
                        for (var ky = 0; ky < p; ky++)
                            for (var kx = 0; kx < p; kx++)
                            {
                                var pixel = rgb[((py * p + ky) * s + px * p + kx) * 3 + c] / 255.0;
                                sum += kernel[((o * 3 + c) * p + ky) * p + kx] * (pixel - Mean[c]) / Std[c];
                            }
                    v[o] = sum + position[(py * g + px) * d + o];
                }
                x[py * g + px] = v;
            }

        x = x.Select(r => LayerNorm(r, "v.pre_ln")).ToArray();
        for (var b = 0; b < shape.Blocks - 1; b++)
            x = Block(x, $"v.blk.{b}");
        return x.Select(r => Linear(Linear(r, "mm.0").Select(Gelu).ToArray(), "mm.2")).ToArray();
    }

    private double[][] Block(double[][] x, string prefix)
    {
        int n = x.Length, d = shape.Width, heads = shape.Heads, dh = d / heads;
        var h = x.Select(r => LayerNorm(r, $"{prefix}.ln1")).ToArray();
        var q = h.Select(r => Linear(r, $"{prefix}.attn_q")).ToArray();
        var k = h.Select(r => Linear(r, $"{prefix}.attn_k")).ToArray();
        var v = h.Select(r => Linear(r, $"{prefix}.attn_v")).ToArray();
        var attended = new double[n][];
        for (var i = 0; i < n; i++)
        {
            attended[i] = new double[d];
            for (var head = 0; head < heads; head++)
            {
                var scores = new double[n];
                for (var j = 0; j < n; j++)
                {
                    double dot = 0;
                    for (var e = head * dh; e < (head + 1) * dh; e++)
                        dot += q[i][e] * k[j][e];
                    scores[j] = dot / Math.Sqrt(dh);
                }
                var max = scores.Max();
                var weightsOf = scores.Select(sc => Math.Exp(sc - max)).ToArray();
                var total = weightsOf.Sum();
                for (var j = 0; j < n; j++)
                    for (var e = head * dh; e < (head + 1) * dh; e++)
                        attended[i][e] += weightsOf[j] / total * v[j][e];
            }
        }
        var afterAttention = x.Select((r, i) => Add(r, Linear(attended[i], $"{prefix}.attn_out"))).ToArray();
        return afterAttention.Select(r =>
        {
            var up = Linear(LayerNorm(r, $"{prefix}.ln2"), $"{prefix}.ffn_up").Select(QuickGelu).ToArray();
            return Add(r, Linear(up, $"{prefix}.ffn_down"));
        }).ToArray();
    }

    private double[] Linear(double[] input, string name)
    {
        var w = W($"{name}.weight");
        var b = W($"{name}.bias");
        var output = new double[b.Length];
        for (var o = 0; o < output.Length; o++)
        {
            var sum = b[o];
            for (var i = 0; i < input.Length; i++)
                sum += w[o * input.Length + i] * input[i];
            output[o] = sum;
        }
        return output;
    }

    private double[] LayerNorm(double[] r, string name)
    {
        var gamma = W($"{name}.weight");
        var beta = W($"{name}.bias");
        var mean = r.Average();
        var variance = r.Select(v => (v - mean) * (v - mean)).Average();
        return r.Select((v, i) => (v - mean) / Math.Sqrt(variance + 1e-5) * gamma[i] + beta[i]).ToArray();
    }

    private static double[] Add(double[] a, double[] b) => a.Select((v, i) => v + b[i]).ToArray();

    private static double QuickGelu(double v) => v / (1 + Math.Exp(-1.702 * v));

    private static double Gelu(double v) => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
}

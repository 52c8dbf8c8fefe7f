using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Glov.Vision.Tests;

public class FixtureSmokeTests
{
    [Fact]
    public void Tiny_text_tower_runs()
    {
        using var session = new InferenceSession(Path.Combine(Assets.TinyModel, "onnx", "text_model.onnx"));
        var ids = new DenseTensor<long>(new long[] { 49406, 320, 1125, 49407 }, [1, 4]);
        var mask = new DenseTensor<long>(new long[] { 1, 1, 1, 1 }, [1, 4]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input_ids", ids), NamedOnnxValue.CreateFromTensor("attention_mask", mask)]);
        var embeds = results.First(r => r.Name == "text_embeds").AsTensor<float>();
        Assert.Equal(new[] { 1, 16 }, embeds.Dimensions.ToArray());
        Console.WriteLine(string.Join(" ", embeds.ToArray().Take(5)));
    }
}

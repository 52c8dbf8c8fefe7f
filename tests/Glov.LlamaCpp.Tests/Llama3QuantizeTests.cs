using Glov.LlamaCpp.Conversion;
using LLama.Native;

namespace Glov.LlamaCpp.Tests;

/// <summary>llama.cpp's own quantizer turns the F16 Llama-3-format file into the types users bring.</summary>
[Collection(Llama3Collection.Name)]
public sealed class Llama3QuantizeTests(Llama3Model llama3)
{
    [Theory]
    [InlineData(LLamaFtype.MOSTLY_Q8_0, "Q8_0")]
    [InlineData(LLamaFtype.MOSTLY_Q4_K_M, "Q4_K - Medium")]
    public void The_quantized_file_loads_with_the_type_and_the_same_tokenizer(LLamaFtype type, string described)
    {
        var path = Path.Combine(llama3.Directory.FullName, $"llama3-tiny-{type}.gguf");
        Llama3Gguf.Quantize(llama3.GgufPath, path, type, threads: 1);
        using var model = Engine.LlamaModel.Load(path, new Engine.LlamaOptions { Threads = 1 });
        Assert.EndsWith(described, model.Handle.Description);
        Assert.Equal(32, model.LayerCount);
        Assert.True(new FileInfo(path).Length < new FileInfo(llama3.GgufPath).Length);
        Assert.Equal([128_000, 9906, 1917], model.Tokenize("Hello world", addBos: true));
    }
}

using Glov.Core.Proposing;
using Glov.LlamaCpp.Engine;

namespace Glov.LlamaCpp.Tests;

[Collection(StoriesCollection.Name)]
public sealed class ConversionTests(StoriesModel stories)
{
    [Fact]
    public void Prompt_tokenises_like_llama2c()
    {
        using var model = stories.Load();
        Assert.Equal([1, 403, 407, 261, 378], model.Tokenize("Once upon a time", addBos: true));
    }

    [Fact]
    public void Greedy_continuation_reproduces_the_reference_implementation()
    {
        using var model = stories.Load();
        using var generator = new LlamaGenerator(model);
        var prompt = model.Tokenize("Once upon a time", addBos: true);
        var completion = generator.Generate(prompt, 1, new SamplingSettings { Temperature = 0, MaxNewTokens = 40 }).Single();
        var text = "Once upon a time" + completion.Text;
        Assert.StartsWith("Once upon a time, there was a little girl named Lily. She loved to play outside in the park.", text);
    }
}

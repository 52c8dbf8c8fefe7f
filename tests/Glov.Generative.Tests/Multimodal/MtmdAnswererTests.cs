using Glov.Generative.Answering;

namespace Glov.Generative.Tests.Multimodal;

[Collection(VlmCollection.Name)]
public sealed class MtmdAnswererTests(VlmFixture fixture)
{
    [Fact]
    public async Task Probe()
    {
        var a = fixture.Answerer;
        Console.WriteLine(a.Prompt(new VisualQuestion("x", "What is this?", "Be nice.")));
        var answers = await a.AnswerAsync([new(VlmFixture.Cifar("dog", 0), "What is this?"), new(VlmFixture.Cifar("cat", 0), "What is this?")]);
        foreach (var x in answers) Console.WriteLine("ANSWER: " + x);
        var e = a.ImageEmbeddings(VlmFixture.Cifar("dog", 0));
        Console.WriteLine($"embd {e.Length} {e[0]} {e[1]}");
    }
}

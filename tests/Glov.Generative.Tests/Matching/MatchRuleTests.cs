using Glov.Generative.Matching;

namespace Glov.Generative.Tests.Matching;

/// <summary>The two matching rules on an encoder whose vectors the test chooses, so the expected class
/// follows from the geometry alone.</summary>
public sealed class MatchRuleTests
{
    /// <summary>Unit vectors in the plane at the given angle (degrees) per text.</summary>
    private sealed class PlaneEncoder(Dictionary<string, double> degrees) : ISentenceEncoder
    {
        public string Name => "plane";

        public int Width => 2;

        public IReadOnlyList<float[]> Encode(IReadOnlyList<string> texts) =>
            texts.Select(t => degrees[t] * Math.PI / 180).Select(a => new[] { (float)Math.Cos(a), (float)Math.Sin(a) }).ToArray();
    }

    private static readonly ClassLabel[] Classes = [new("cat"), new("dog"), new("fox")];

    // cat at 0°, dog at 90°, fox at 180°; the answers sit nearer dog than cat although they name the cat.
    private static readonly PlaneEncoder Encoder = new(new()
    {
        ["cat"] = 0, ["dog"] = 90, ["fox"] = 180,
        ["It looks like a cat, but it is a puppy."] = 80,
        ["A furry animal."] = 170,
        ["Between a cat and a dog."] = 45,
    });

    [Fact]
    public void Embedding_rule_as_published_takes_the_nearest_class_even_when_another_is_named()
    {
        var matches = new ClassMatcher(Classes, Encoder).MatchAll(["It looks like a cat, but it is a puppy.", "A furry animal.", ""]);

        Assert.Equal([1, 2, -1], matches.Select(m => m.ClassIndex));
        Assert.All(matches.Take(2), m => Assert.Equal(MatchMethod.Embedding, m.Method));
        Assert.Equal(Math.Cos(10 * Math.PI / 180), matches[0].Similarity, 6);
    }

    [Fact]
    public void Mention_first_rule_takes_the_named_class_and_falls_back_to_the_nearest()
    {
        var matches = new ClassMatcher(Classes, Encoder, MatchRule.MentionFirst).MatchAll(["It looks like a cat, but it is a puppy.", "A furry animal."]);

        Assert.Equal([0, 2], matches.Select(m => m.ClassIndex));
        Assert.Equal([MatchMethod.Exact, MatchMethod.Embedding], matches.Select(m => m.Method));
    }

    [Fact]
    public void Exactly_equal_similarities_go_to_the_class_listed_first()
    {
        Assert.Equal(0, new ClassMatcher(Classes, Encoder).Match("Between a cat and a dog.").ClassIndex);
    }
}

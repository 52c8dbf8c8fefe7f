using Glov.Generative.Matching;

namespace Glov.Generative.Tests.Matching;

[Collection(MiniLmCollection.Name)]
public sealed class MiniLmMatchingTests(MiniLmFixture fixture)
{
    private static ClassLabel[] Set(string name) => name switch
    {
        "cifar10" => ClassSets.Cifar10,
        "pets" => ClassSets.OxfordPets,
        "flowers" => ClassSets.Flowers,
        _ => throw new ArgumentException(name),
    };

    [Theory]
    // CIFAR-10, no class name in the answer: the sentence embedding decides.
    [InlineData("cifar10", "a small puppy on grass", "dog")]
    [InlineData("cifar10", "a kitten sleeping on a sofa", "cat")]
    [InlineData("cifar10", "a jet flying above the clouds", "airplane")]
    [InlineData("cifar10", "a large vessel sailing across the ocean", "ship")]
    [InlineData("cifar10", "a sedan parked on the street", "automobile")]
    [InlineData("cifar10", "a green toad sitting on a lily pad", "frog")]
    [InlineData("cifar10", "a stallion galloping in a field", "horse")]
    [InlineData("cifar10", "a sparrow perched on a branch", "bird")]
    [InlineData("cifar10", "a reindeer standing in the snow", "deer")]
    [InlineData("cifar10", "an eighteen-wheeler on the highway", "truck")]
    [InlineData("cifar10", "a lorry carrying cargo", "truck")]
    [InlineData("cifar10", "a pony eating hay", "horse")]
    [InlineData("cifar10", "a parrot with colorful feathers", "bird")]
    [InlineData("cifar10", "a cruise liner in the harbour", "ship")]
    [InlineData("cifar10", "a passenger jet at the gate", "airplane")]
    // Fine-grained, no exact mention.
    [InlineData("pets", "a tiny Mexican dog", "chihuahua")]
    [InlineData("pets", "a spotted cat from Egypt", "Egyptian_Mau")]
    [InlineData("pets", "a blue-gray short-haired cat from Russia", "Russian_Blue")]
    [InlineData("pets", "a small dog from Scotland", "scottish_terrier")]
    [InlineData("flowers", "a tall plant with a big yellow head of petals that follows the sun", "sunflower")]
    [InlineData("flowers", "an orange flower with many petals", "orange dahlia")]
    [InlineData("flowers", "a white daisy-like flower", "barbeton daisy")]
    public void Embedding_picks_the_semantically_nearest_class(string set, string answer, string expected)
    {
        var classes = Set(set);
        var match = new ClassMatcher(classes, fixture.Encoder, MatchRule.MentionFirst).Match(answer);
        Assert.Equal(MatchMethod.Embedding, match.Method);
        Assert.Equal(expected, classes[match.ClassIndex].Name);
    }

    [Theory]
    [InlineData("cifar10", "This is a photo of a dog.", "dog")]
    [InlineData("cifar10", "Two cats playing with yarn", "cat")]
    [InlineData("cifar10", "The image shows a DEER!", "deer")]
    [InlineData("cifar10", "Category: truck. A red vehicle with a flatbed.", "truck")]
    [InlineData("pets", "A Maine Coon lying on the floor", "Maine_Coon")]
    [InlineData("pets", "This looks like a yorkshire terrier.", "yorkshire_terrier")]
    [InlineData("pets", "a staffordshire bull terrier puppy", "staffordshire_bull_terrier")]
    [InlineData("pets", "a pug wearing a hat", "pug")]
    [InlineData("flowers", "tiger lilies in bloom", "tiger lily")]
    [InlineData("flowers", "a Bishop of Llandaff dahlia", "bishop of llandaff")]
    [InlineData("flowers", "a colt's foot by the road", "colt's foot")]
    public void Whole_word_mentions_match_exactly(string set, string answer, string expected)
    {
        var classes = Set(set);
        var match = new ClassMatcher(classes, fixture.Encoder, MatchRule.MentionFirst).Match(answer);
        Assert.Equal(MatchMethod.Exact, match.Method);
        Assert.Equal(expected, classes[match.ClassIndex].Name);
    }

    [Fact]
    public void An_exact_mention_wins_over_a_nearer_embedding()
    {
        const string answer = "the dog is chasing a kitten";
        var classes = ClassSets.Cifar10;
        // Precondition: on embeddings alone this answer is nearest to "cat".
        var names = fixture.Encoder.Encode(classes.Select(c => c.Name).ToArray());
        var a = fixture.Encoder.Encode([answer])[0];
        var byEmbedding = names.Select(n => n.Zip(a, (x, y) => (double)x * y).Sum()).ToList();
        Assert.Equal("cat", classes[byEmbedding.IndexOf(byEmbedding.Max())].Name);

        var match = new ClassMatcher(classes, fixture.Encoder, MatchRule.MentionFirst).Match(answer);
        Assert.Equal(new AnswerMatch(5, MatchMethod.Exact, double.NaN), match);
    }

    [Fact]
    public void Several_mentions_of_equal_length_are_settled_by_embedding_among_them_only()
    {
        // "cat" and "dog" both occur; the tadpoles may pull towards "frog", but only mentioned classes compete.
        const string answer = "a cat and a dog next to a pond full of tadpoles";
        var classes = ClassSets.Cifar10;
        var names = fixture.Encoder.Encode(["cat", "dog"]);
        var a = fixture.Encoder.Encode([answer])[0];
        var cat = names[0].Zip(a, (x, y) => (double)x * y).Sum();
        var dog = names[1].Zip(a, (x, y) => (double)x * y).Sum();

        var match = new ClassMatcher(classes, fixture.Encoder, MatchRule.MentionFirst).Match(answer);

        Assert.Equal(MatchMethod.Exact, match.Method);
        Assert.Equal(cat >= dog ? "cat" : "dog", classes[match.ClassIndex].Name);
        Assert.Equal(Math.Max(cat, dog), match.Similarity, 5);
    }

    [Fact]
    public void The_longest_mention_wins()
    {
        ClassLabel[] classes = [new("truck"), new("pickup_truck"), new("automobile")];
        var match = new ClassMatcher(classes, fixture.Encoder, MatchRule.MentionFirst).Match("A pickup truck parked next to a truck stop.");
        Assert.Equal(new AnswerMatch(1, MatchMethod.Exact, double.NaN), match);
    }

    [Fact]
    public void Synonyms_count_as_exact_mentions()
    {
        ClassLabel[] plain = [new("airplane"), new("automobile"), new("truck")];
        ClassLabel[] withSynonyms = [new("airplane", ["plane", "jet"]), new("automobile", ["car"]), new("truck", ["lorry"])];
        const string answer = "a red car on a road";

        var without = new ClassMatcher(plain, fixture.Encoder, MatchRule.MentionFirst).Match(answer);
        var with = new ClassMatcher(withSynonyms, fixture.Encoder, MatchRule.MentionFirst).Match(answer);

        Assert.Equal(MatchMethod.Embedding, without.Method);
        Assert.Equal(new AnswerMatch(1, MatchMethod.Exact, double.NaN), with);
    }

    [Fact]
    public void Equal_similarities_go_to_the_class_listed_first()
    {
        // The encoder lower-cases, so these two names embed identically.
        ClassLabel[] classes = [new("Sea_Otter"), new("sea otter"), new("eagle")];
        var match = new ClassMatcher(classes, fixture.Encoder, MatchRule.MentionFirst).Match("a furry animal floating on its back in the kelp");
        Assert.Equal(MatchMethod.Embedding, match.Method);
        Assert.Equal(0, match.ClassIndex);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("?! ...")]
    public void Empty_answers_predict_no_class(string answer)
    {
        var match = new ClassMatcher(ClassSets.Cifar10, fixture.Encoder, MatchRule.MentionFirst).Match(answer);
        Assert.Equal(AnswerMatch.NoAnswer, match);
    }

    [Fact]
    public void Matching_many_answers_at_once_equals_matching_each()
    {
        string[] answers = ["a small puppy on grass", "", "Two cats", "a cat and a dog", "a jet in the sky", "a small puppy on grass"];
        var matcher = new ClassMatcher(ClassSets.Cifar10, fixture.Encoder, MatchRule.MentionFirst);
        var all = matcher.MatchAll(answers);
        var fresh = new ClassMatcher(ClassSets.Cifar10, fixture.Encoder, MatchRule.MentionFirst);
        for (var i = 0; i < answers.Length; i++)
        {
            var one = fresh.Match(answers[i]);
            Assert.Equal(one.ClassIndex, all[i].ClassIndex);
            Assert.Equal(one.Method, all[i].Method);
            Assert.Equal(one.Similarity, all[i].Similarity, 5);
        }
    }
}

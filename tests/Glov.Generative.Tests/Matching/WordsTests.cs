using Glov.Generative.Matching;

namespace Glov.Generative.Tests.Matching;

public sealed class WordsTests
{
    [Fact]
    public void Splits_on_everything_but_letters_and_digits_and_lower_cases()
    {
        Assert.Equal(["maine", "coon"], Words.Split("Maine_Coon"));
        Assert.Equal(["a", "18", "wheeler", "it", "s", "red"], Words.Split("  A 18-wheeler; it's RED!"));
        Assert.Equal(["café"], Words.Split("Café"));
        Assert.Empty(Words.Split(" ... "));
    }

    [Theory]
    [InlineData("a dog on grass", "dog", true)]
    [InlineData("two dogs", "dog", true)]
    [InlineData("three foxes", "fox", true)]
    [InlineData("tiger lilies in bloom", "tiger lily", true)]
    [InlineData("a hotdog stand", "dog", false)]
    [InlineData("a catamaran", "cat", false)]
    [InlineData("dogma", "dog", false)]
    [InlineData("a tiger and a lily", "tiger lily", false)]
    [InlineData("lily tiger", "tiger lily", false)]
    [InlineData("the cats are dogs", "cats dog", false)]
    public void Whole_word_containment(string text, string form, bool expected) =>
        Assert.Equal(expected, Words.Contains(Words.Split(text), Words.Split(form)));
}

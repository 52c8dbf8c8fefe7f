using Glov.Core;
using Glov.Vision.Tokenization;

namespace Glov.Vision.Tests;

/// <summary>Expected ids are CLIP's published ones, or were derived from the merges file by an
/// independent implementation of CLIP's tokenizer algorithm (Python, outside this repository).</summary>
public class TokenizerTests
{
    private static readonly Lazy<ClipTokenizer> Original = new(() => ClipTokenizer.Load(Assets.ClipMerges));

    public static TheoryData<string, int[]> Cases => new()
    {
        { "a photo of a cat.", [49406, 320, 1125, 539, 320, 2368, 269, 49407] },
        { "  A   Photo\tof a CAT. ", [49406, 320, 1125, 539, 320, 2368, 269, 49407] },
        { "It's", [49406, 585, 568, 49407] },
        { "don't you're we've I'm they'll he'd", [49406, 847, 713, 592, 982, 649, 1200, 328, 880, 889, 1342, 797, 1896, 49407] },
        { "3 cats, 12 dogs!", [49406, 274, 3989, 267, 272, 273, 3255, 256, 49407] },
        { "2024-10-08", [49406, 273, 271, 273, 275, 268, 272, 271, 268, 271, 279, 49407] },
        { "hello...world!!", [49406, 3306, 678, 1002, 748, 49407] },
        { "a photo of a <category>.", [49406, 320, 1125, 539, 320, 283, 9432, 29, 269, 49407] },
        { "snake_case under_score", [49406, 8798, 318, 2068, 1798, 318, 4431, 49407] },
        { "&amp; html &lt;b&gt;", [49406, 261, 18231, 283, 321, 285, 49407] },
        { "café naïve", [49406, 15304, 1097, 35689, 563, 49407] },
        { "ångström", [49406, 23176, 10352, 807, 7255, 332, 49407] },
        { "日本の猫", [49406, 39121, 44353, 21575, 163, 234, 360, 49407] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Original_merges_file_gives_clip_ids(string text, int[] expected) =>
        Assert.Equal(expected, Original.Value.Encode(text));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tokenizer_json_and_vocab_json_give_the_same_ids(string text, int[] expected)
    {
        Assert.Equal(expected, ClipTokenizer.Load(Path.Combine(Assets.TinyModel, "tokenizer.json")).Encode(text));
        Assert.Equal(expected, ClipTokenizer.Load(Path.Combine(Assets.TinyModel, "vocab.json")).Encode(text));
    }

    [Fact]
    public void Vocabulary_has_clip_size_and_special_ids()
    {
        var vocabulary = Original.Value.Vocabulary;
        Assert.Equal(49408, vocabulary.Count);
        Assert.Equal(49406, vocabulary.StartId);
        Assert.Equal(49407, vocabulary.EndId);
        Assert.Equal(0, vocabulary.Tokens["!"]);
        Assert.Equal(256, vocabulary.Tokens["!</w>"]);
        Assert.Equal(512, vocabulary.Tokens["in"]);
    }

    [Fact]
    public void Long_text_is_cut_to_77_keeping_the_end_token()
    {
        var text = string.Concat(Enumerable.Repeat("a ", 100));
        var ids = Original.Value.Encode(text);
        Assert.Equal(77, ids.Count);
        Assert.Equal(49406, ids[0]);
        Assert.All(ids.Skip(1).Take(75), id => Assert.Equal(320, id));
        Assert.Equal(49407, ids[76]);
        Assert.Equal(102, Original.Value.CountTokens(text));
        Assert.False(Original.Value.Fits(text));
    }

    [Fact]
    public void An_unbroken_run_of_any_length_is_tokenised_as_words_of_at_most_64_characters()
    {
        var tokenizer = Original.Value;
        var chunk = string.Concat(Enumerable.Repeat("qz", ClipTokenizer.MaxWordLength / 2));
        var symbols = new string('~', ClipTokenizer.MaxWordLength);
        const int repeats = 1000; // 64 000 characters in one run

        var letters = tokenizer.CountTokens(string.Concat(Enumerable.Repeat(chunk, repeats)));
        var marks = tokenizer.CountTokens(string.Concat(Enumerable.Repeat(symbols, repeats)));

        Assert.Equal(repeats * (tokenizer.CountTokens(chunk) - 2) + 2, letters);
        Assert.Equal(repeats * (tokenizer.CountTokens(symbols) - 2) + 2, marks);
        // Runs up to the cap are CLIP's words, unchanged.
        Assert.Equal(tokenizer.Encode(chunk), tokenizer.Encode(chunk + " ").ToList());
    }

    [Fact]
    public void Exactly_77_tokens_fit_and_78_do_not()
    {
        Assert.True(Original.Value.Fits(string.Concat(Enumerable.Repeat("a ", 75))));
        Assert.False(Original.Value.Fits(string.Concat(Enumerable.Repeat("a ", 76))));
    }

    [Fact]
    public void Model_folder_is_accepted_as_vocabulary_source() =>
        Assert.Equal([49406, 320, 1125, 539, 320, 2368, 269, 49407], ClipTokenizer.Load(Assets.TinyModel).Encode("a photo of a cat."));

    [Fact]
    public void Tokenizer_json_that_is_not_bpe_is_refused()
    {
        var folder = Assets.NewScratchFolder("wordpiece");
        var path = Path.Combine(folder, "tokenizer.json");
        File.WriteAllText(path, """{"model": {"type": "WordPiece", "vocab": {"a": 0}}}""");
        var error = Assert.Throws<GlovUserException>(() => ClipTokenizer.Load(path));
        Assert.Contains("tokenizer.json", error.Message);
        Assert.Contains("WordPiece", error.Message);
    }

    [Fact]
    public void Missing_tokenizer_file_is_a_user_error()
    {
        var error = Assert.Throws<GlovUserException>(() => ClipTokenizer.Load("/nonexistent/bpe.txt.gz"));
        Assert.Contains("/nonexistent/bpe.txt.gz", error.Message);
    }
}

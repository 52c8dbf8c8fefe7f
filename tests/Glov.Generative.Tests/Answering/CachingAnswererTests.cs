using Glov.Generative.Answering;

namespace Glov.Generative.Tests.Answering;

public sealed class CachingAnswererTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Each_distinct_model_prompt_and_image_content_is_answered_once()
    {
        var a = _folder.Write("a.png", "pixels A");
        var copyOfA = _folder.Write("copy/a.png", "pixels A");
        var b = _folder.Write("b.png", "pixels B");
        var answers = 0;
        var inner = new ScriptedAnswerer(q => $"answer {++answers} to {q.Question} ({q.SystemPrompt})");
        var cache = new CachingAnswerer(inner);

        var first = await cache.AnswerAsync([new(a, "what?"), new(b, "what?"), new(a, "what?")]);
        Assert.Equal(["answer 1 to what? ()", "answer 2 to what? ()", "answer 1 to what? ()"], first);
        Assert.Equal((1L, 2L), (cache.Hits, cache.Misses));

        // Same picture under another path, and a repeat: both cached. A new system prompt is not.
        var second = await cache.AnswerAsync([new(copyOfA, "what?"), new(b, "what?"), new(b, "what?", "be safe")]);
        Assert.Equal(["answer 1 to what? ()", "answer 2 to what? ()", "answer 3 to what? (be safe)"], second);
        Assert.Equal((3L, 3L), (cache.Hits, cache.Misses));
        Assert.Equal(2, inner.Calls);
        Assert.Single(inner.Asked, q => q.SystemPrompt == "be safe");

        // Another model fingerprint answers afresh.
        inner.Fingerprint = "other model";
        Assert.Equal(["answer 4 to what? ()"], await cache.AnswerAsync([new(a, "what?")]));
    }

    [Fact]
    public async Task A_changed_image_file_is_answered_again()
    {
        var a = _folder.Write("a.png", "v1");
        var answers = 0;
        var cache = new CachingAnswerer(new ScriptedAnswerer(_ => $"answer {++answers}"));
        Assert.Equal(["answer 1"], await cache.AnswerAsync([new(a, "q")]));
        File.WriteAllText(a, "version two");
        Assert.Equal(["answer 2"], await cache.AnswerAsync([new(a, "q")]));
    }

    [Fact]
    public async Task A_missing_image_is_a_user_error_naming_it()
    {
        var cache = new CachingAnswerer(new ScriptedAnswerer(_ => "x"));
        var missing = Path.Combine(_folder.Path, "gone.png");
        var error = await Assert.ThrowsAsync<Glov.Core.GlovUserException>(() => cache.AnswerAsync([new(missing, "q")]));
        Assert.Equal($"image {missing} does not exist", error.Message);
    }
}

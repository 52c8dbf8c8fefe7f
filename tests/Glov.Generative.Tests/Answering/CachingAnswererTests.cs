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
    public async Task Progress_counts_cached_answers_at_once_then_each_fresh_one_as_the_model_gives_it()
    {
        var a = _folder.Write("a.png", "pixels A");
        var b = _folder.Write("b.png", "pixels B");
        var cache = new CachingAnswerer(new ScriptedAnswerer(_ => "x"));
        await cache.AnswerAsync([new(a, "what?")]);

        var counts = new List<int>();
        await cache.AnswerAsync([new(b, "what?"), new(a, "what?"), new(b, "why?")], answered: new Glov.Core.Optimization.SynchronousProgress<int>(counts.Add));

        Assert.Equal([1, 2, 3], counts);
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

public sealed class AnswerStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Answers_outlive_the_process_through_the_store_and_record_every_image()
    {
        var a = _folder.Write("a.png", "A");
        var b = _folder.Write("b.png", "B");
        var store = Path.Combine(_folder.Path, "cache", "answers.jsonl");
        var first = new CachingAnswerer(new ScriptedAnswerer(q => $"{Path.GetFileName(q.ImagePath)}: {q.Question}"), store);
        var answers = await first.AnswerAsync([new(a, "what?"), new(b, "what?", "be safe"), new(a, "what?")]);

        var lines = File.ReadAllLines(store);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"path\":", lines[1]);
        Assert.Contains("\"answer\":\"b.png: what?\"", lines[1]);

        var never = new ScriptedAnswerer(_ => throw new InvalidOperationException("the store should have answered"));
        var second = new CachingAnswerer(never, store);
        Assert.Equal(answers, await second.AnswerAsync([new(a, "what?"), new(b, "what?", "be safe"), new(a, "what?")]));
        Assert.Equal(0, never.Calls);

        never.Fingerprint = "another model";
        await Assert.ThrowsAsync<InvalidOperationException>(() => second.AnswerAsync([new(a, "what?")]));
    }

    [Fact]
    public async Task A_half_written_last_line_is_cut_off_but_a_broken_middle_line_is_an_error()
    {
        var a = _folder.Write("a.png", "A");
        var store = Path.Combine(_folder.Path, "answers.jsonl");
        await new CachingAnswerer(new ScriptedAnswerer(_ => "x"), store).AnswerAsync([new(a, "q1"), new(a, "q2")]);
        File.AppendAllText(store, "{\"model\":\"scri");

        var reloaded = new CachingAnswerer(new ScriptedAnswerer(_ => "fresh"), store);
        Assert.Equal(["x", "x", "fresh"], await reloaded.AnswerAsync([new(a, "q1"), new(a, "q2"), new(a, "q3")]));
        Assert.Equal(3, File.ReadAllLines(store).Length);
        var third = new CachingAnswerer(new ScriptedAnswerer(_ => "again"), store);
        Assert.Equal(["fresh"], await third.AnswerAsync([new(a, "q3")]));

        var lines = File.ReadAllLines(store).ToList();
        lines.Insert(1, "not json");
        File.WriteAllLines(store, lines);
        var error = Assert.Throws<Glov.Core.GlovUserException>(() => new CachingAnswerer(new ScriptedAnswerer(_ => "x"), store));
        Assert.StartsWith($"answer store {store}:2: not an answer record", error.Message);
    }
}

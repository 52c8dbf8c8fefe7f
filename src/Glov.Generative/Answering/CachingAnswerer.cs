using System.Collections.Concurrent;

namespace Glov.Generative.Answering;

/// <summary>
/// Answers each distinct (model fingerprint, system prompt, question, image content) once. Greedy
/// decoding makes the answer a function of that key, so the seed prompt's answers, a re-proposed
/// prompt, or a final ensemble re-scored on the train set cost nothing the second time.
/// Disposing it disposes the wrapped answerer.
/// </summary>
public sealed class CachingAnswerer(IVisualAnswerer inner) : IVisualAnswerer, IDisposable
{
    private readonly ConcurrentDictionary<(string Model, string System, string Question, string Image), string> _answers = new();
    private readonly ImageFingerprints _images = new();
    private long _hits;
    private long _misses;

    public string Fingerprint => inner.Fingerprint;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public string? Admit(string text) => inner.Admit(text);

    public async Task<IReadOnlyList<string>> AnswerAsync(IReadOnlyList<VisualQuestion> questions, CancellationToken cancellationToken = default)
    {
        var keys = questions.Select(q => (inner.Fingerprint, q.SystemPrompt ?? "", q.Question, _images.Of(q.ImagePath))).ToArray();
        var answers = new string?[questions.Count];
        var missing = new List<int>();
        var firstOfKey = new Dictionary<(string, string, string, string), int>();
        for (var i = 0; i < keys.Length; i++)
        {
            if (_answers.TryGetValue(keys[i], out var cached))
                answers[i] = cached;
            else if (!firstOfKey.ContainsKey(keys[i]))
            {
                firstOfKey[keys[i]] = i;
                missing.Add(i);
            }
        }

        if (missing.Count > 0)
        {
            var fresh = await inner.AnswerAsync(missing.Select(i => questions[i]).ToArray(), cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < missing.Count; j++)
                _answers[keys[missing[j]]] = fresh[j];
        }
        for (var i = 0; i < keys.Length; i++)
            answers[i] ??= _answers[keys[i]];

        Interlocked.Add(ref _misses, missing.Count);
        Interlocked.Add(ref _hits, questions.Count - missing.Count);
        return answers!;
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();
}

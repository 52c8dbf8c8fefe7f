using System.Collections.Concurrent;
using System.Text.Json;
using Glov.Core;
using Glov.Core.Optimization;

namespace Glov.Generative.Answering;

/// <summary>
/// Answers each distinct (model fingerprint, system prompt, question, image content) once. Greedy
/// decoding makes the answer a function of that key, so the seed prompt's answers, a re-proposed
/// prompt, or a final ensemble re-scored on the train set cost nothing the second time.
/// With a store file, answers also outlive the process: they are appended as JSON Lines
/// (<see cref="AnswerRecord"/>) after every call and read back on start, so a resumed run does not
/// ask again, and the file records every image's answer to every prompt. A half-written last line
/// (a killed run) is cut off. Disposing it disposes the wrapped answerer.
/// </summary>
public sealed class CachingAnswerer : IVisualAnswerer, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IVisualAnswerer _inner;
    private readonly string? _store;
    private readonly ConcurrentDictionary<(string Model, string System, string Question, string Image), string> _answers = new();
    private readonly ImageFingerprints _images = new();
    private readonly Lock _storeGate = new();
    private long _hits;
    private long _misses;

    public CachingAnswerer(IVisualAnswerer inner, string? storePath = null)
    {
        _inner = inner;
        _store = storePath;
        if (storePath is not null && File.Exists(storePath))
            Load(storePath);
    }

    public string Fingerprint => _inner.Fingerprint;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public string? Admit(string text) => _inner.Admit(text);

    /// <summary>Questions asked before are answered from the cache at once; <paramref name="answered"/> counts them first.</summary>
    public async Task<IReadOnlyList<string>> AnswerAsync(IReadOnlyList<VisualQuestion> questions, CancellationToken cancellationToken = default,
        IProgress<int>? answered = null)
    {
        var keys = questions.Select(q => (_inner.Fingerprint, q.SystemPrompt ?? "", q.Question, _images.Of(q.ImagePath))).ToArray();
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

        // A question asked twice in one call is answered once, with its first asking.
        var known = questions.Count - missing.Count;
        answered?.Report(known);
        if (missing.Count > 0)
        {
            var fresh = await _inner.AnswerAsync(missing.Select(i => questions[i]).ToArray(), cancellationToken,
                // The model's opening 0 is the cached count, told already.
                answered is null ? null : new SynchronousProgress<int>(n =>
                {
                    if (n > 0)
                        answered.Report(known + n);
                })).ConfigureAwait(false);
            for (var j = 0; j < missing.Count; j++)
                _answers[keys[missing[j]]] = fresh[j];
            Append(missing.Select((i, j) => new AnswerRecord(keys[i].Item1, keys[i].Item2, keys[i].Question, keys[i].Item4, questions[i].ImagePath, fresh[j])));
        }
        for (var i = 0; i < keys.Length; i++)
            answers[i] ??= _answers[keys[i]];

        Interlocked.Add(ref _misses, missing.Count);
        Interlocked.Add(ref _hits, questions.Count - missing.Count);
        return answers!;
    }

    private void Append(IEnumerable<AnswerRecord> records)
    {
        if (_store is null)
            return;
        lock (_storeGate)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_store))!);
                using var writer = new StreamWriter(_store, append: true);
                foreach (var record in records)
                    writer.WriteLine(JsonSerializer.Serialize(record, Json));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new GlovUserException($"answer store {_store}: cannot write ({e.Message})", e);
            }
        }
    }

    private void Load(string path)
    {
        var lines = File.ReadAllLines(path);
        for (var n = 0; n < lines.Length; n++)
        {
            if (string.IsNullOrWhiteSpace(lines[n]))
                continue;
            AnswerRecord? record;
            try
            {
                record = JsonSerializer.Deserialize<AnswerRecord>(lines[n], Json);
            }
            catch (JsonException) when (n == lines.Length - 1)
            {
                // Cut the fragment off so the next append starts a fresh line.
                File.WriteAllLines(path, lines[..n]);
                return;
            }
            catch (JsonException e)
            {
                throw new GlovUserException($"answer store {path}:{n + 1}: not an answer record ({e.Message}); delete the file to start afresh", e);
            }
            if (record is null || record.Answer is null || record.Model is null || record.Question is null || record.Image is null)
                throw new GlovUserException($"answer store {path}:{n + 1}: not an answer record; delete the file to start afresh");
            _answers[(record.Model, record.System ?? "", record.Question, record.Image)] = record.Answer;
        }
    }

    public void Dispose() => (_inner as IDisposable)?.Dispose();
}

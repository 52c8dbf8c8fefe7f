using Glov.Generative.Answering;

namespace Glov.Generative.Tests;

/// <summary>A stand-in VLM whose answers a test writes down, one at a time; it records what it was asked.</summary>
public sealed class ScriptedAnswerer(Func<VisualQuestion, string> answer, string fingerprint = "scripted") : IVisualAnswerer
{
    public List<VisualQuestion> Asked { get; } = [];

    public int Calls { get; private set; }

    public string Fingerprint { get; set; } = fingerprint;

    public string? Admit(string text) => text.Length > 200 ? "longer than 200 characters" : null;

    public Task<IReadOnlyList<string>> AnswerAsync(IReadOnlyList<VisualQuestion> questions, CancellationToken cancellationToken = default,
        IProgress<int>? answered = null)
    {
        Calls++;
        Asked.AddRange(questions);
        var answers = new List<string>(questions.Count);
        answered?.Report(0);
        foreach (var q in questions)
        {
            answers.Add(answer(q));
            answered?.Report(answers.Count);
        }
        return Task.FromResult<IReadOnlyList<string>>(answers);
    }
}

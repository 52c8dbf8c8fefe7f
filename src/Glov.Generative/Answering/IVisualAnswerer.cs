namespace Glov.Generative.Answering;

/// <summary>A generative VLM: answers questions about images, deterministically (greedy decoding),
/// so an answer may be cached and reused.</summary>
public interface IVisualAnswerer
{
    /// <summary>Identifies the model and every setting that changes its answers (weights, projector,
    /// chat template, token limit); answers are cached under it.</summary>
    string Fingerprint { get; }

    /// <summary>Null when the model can take <paramref name="text"/> as a question or system prompt;
    /// otherwise why not (e.g. it leaves no room in the context for the image).</summary>
    string? Admit(string text);

    /// <summary>One answer per question, in order.</summary>
    /// <param name="answered">Told how many questions have their answer: first how many it had before it began (0 unless
    /// cached), then as it gets them.</param>
    Task<IReadOnlyList<string>> AnswerAsync(IReadOnlyList<VisualQuestion> questions, CancellationToken cancellationToken = default,
        IProgress<int>? answered = null);
}

using Glov.Core.Optimization;
using Glov.Core.Templates;

namespace Glov.Core.Parsing;

/// <summary>Turns raw LLM completions into canonical templates (method.md §2).</summary>
public sealed class CandidateParser
{
    public CandidateParser(PromptKind kind, Func<Template, string?>? admit = null)
    {
        Kind = kind;
        AdmitCheck = admit;
    }

    public PromptKind Kind { get; }

    private Func<Template, string?>? AdmitCheck { get; }

    /// <summary>Parses one completion; <paramref name="seenThisStep"/> holds keys accepted earlier in
    /// the same step and is updated, so a step never scores the same template twice.</summary>
    public IReadOnlyList<ParsedCandidate> Parse(string raw, History history, ISet<string> seenThisStep) =>
        throw new NotImplementedException($"issue 2: candidate parser ({AdmitCheck})");
}

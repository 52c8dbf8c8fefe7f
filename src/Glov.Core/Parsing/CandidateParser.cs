using System.Globalization;
using Glov.Core.Optimization;
using Glov.Core.Templates;

namespace Glov.Core.Parsing;

/// <summary>
/// Turns raw LLM completions into canonical templates (method.md §2). The authors kept the text after the
/// last colon; that loses every template containing a colon ("A photo of a {}: a type of pet."), keeps
/// trailing chatter ("… Let me know if you need more!") and anything after a "Note:". Here the completion is
/// read line by line: markers, preambles and talk are removed by rule, every line holding a placeholder is a
/// candidate, and each rejection says why.
/// </summary>
public sealed class CandidateParser
{
    public CandidateParser(PromptKind kind, Func<Template, string?>? admit = null)
    {
        Kind = kind;
        AdmitCheck = admit;
    }

    /// <summary>Characters of a completion that are parsed; the rest is ignored (it stays in the journal).</summary>
    public const int MaxCompletionLength = 65_536;

    public PromptKind Kind { get; }

    private Func<Template, string?>? AdmitCheck { get; }

    /// <summary>Parses one completion; <paramref name="seenThisStep"/> holds keys accepted earlier in
    /// the same step and is updated, so a step never scores the same template twice.</summary>
    public IReadOnlyList<ParsedCandidate> Parse(string raw, History history, ISet<string> seenThisStep)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(seenThisStep);
        // A server may answer with megabytes; prompts are short, so only the head is read.
        if (raw is { Length: > MaxCompletionLength })
            raw = raw[..MaxCompletionLength];
        var lines = CompletionText.Lines(PlaceholderSpellings.Canonicalise(raw ?? ""))
            .Select(CompletionText.StripMarkers)
            .Where(l => l.Text.Length > 0)
            .ToList();

        var fragments = Kind == PromptKind.ClassTemplate
            ? ClassTemplateFragments(lines)
            : FreeTextFragments(lines).Select(f => new Fragment(f)).ToList();
        if (fragments.Count > 0)
            return fragments.Select(f => f.Reason is { } reason
                ? new ParsedCandidate(f.Text, null, reason, f.Detail)
                : Decide(f.Text, history, seenThisStep)).ToList();

        var leftovers = lines.Select(l => CompletionText.Tidy(l.Text)).Where(t => t.Length > 0).ToList();
        var content = leftovers.FirstOrDefault(t => !CompletionText.IsChatterLine(t));
        if (content is null)
            return [new ParsedCandidate(leftovers.FirstOrDefault() ?? "", null, RejectionReason.Empty,
                leftovers.Count == 0 ? "nothing but white space, markup or a preamble" : "only talk, no template")];
        if (CompletionText.DebrisStart(content) is var cut and >= 0)
            return [new ParsedCandidate(content, null, RejectionReason.Truncated, $"cut off at \"{content[cut..].Trim()}\"")];
        return [new ParsedCandidate(content, null, RejectionReason.NoPlaceholder, $"no {Template.Placeholder} or similar spelling")];
    }

    /// <summary>A piece of the completion: candidate text, or text already known not to be one (and why).</summary>
    private sealed record Fragment(string Text, RejectionReason? Reason = null, string? Detail = null);

    /// <summary>Every line holding a placeholder is a candidate; quoted templates inside a sentence are taken out.
    /// Lines and sentences that hold the placeholder but talk about a template or instruct how to fill it are
    /// rejected with that reason, so no line holding a placeholder vanishes without a record.</summary>
    private static List<Fragment> ClassTemplateFragments(IEnumerable<(string Text, bool ListItem)> lines)
    {
        var fragments = new List<Fragment>();
        foreach (var (line, _) in lines)
        {
            if (!CompletionText.HasPlaceholder(line))
                continue;
            var (text, instructions) = CompletionText.SplitInstructions(line);
            var quoted = CompletionText.QuotedTemplates(text, out var outside);
            if (quoted.Count > 0)
            {
                fragments.AddRange(quoted.Select(q => new Fragment(CompletionText.Tidy(q))));
                if (CompletionText.HasPlaceholder(outside))
                    instructions = [.. instructions, outside];
            }
            else if (CompletionText.HasPlaceholder(text))
                fragments.AddRange(CompletionText.SplitInlineList(text)
                    .Select(CompletionText.TrimChatter)
                    .Select(t => CompletionText.IsChatter(t)
                        // Talk that mentions the placeholder ("I replaced photo with image in a <category> …") is still talk.
                        ? new Fragment(CompletionText.Tidy(t), RejectionReason.Talk, "talk about a template, not a template")
                        : new Fragment(CompletionText.Tidy(t))));
            fragments.AddRange(instructions.Select(i => new Fragment(CompletionText.Tidy(i), RejectionReason.Instruction,
                $"an instruction about {Template.Placeholder}, not a template")));
        }
        return fragments.Where(f => f.Text.Length > 0).ToList();
    }

    /// <summary>A free-text prompt or system prompt may span lines, so the lines left after removing talk form one prompt,
    /// unless they are list items: then each item is a prompt of its own.</summary>
    private static List<string> FreeTextFragments(IEnumerable<(string Text, bool ListItem)> lines)
    {
        var kept = lines
            .Where(l => !CompletionText.IsChatterLine(l.Text))
            .Select(l => (Text: CompletionText.Tidy(CompletionText.TrimChatter(l.Text)), l.ListItem))
            .Where(l => l.Text.Length > 0)
            .ToList();
        if (kept.Count > 1 && kept.All(l => l.ListItem))
            return kept.Select(l => l.Text).ToList();
        return kept.Count == 0 ? [] : [string.Join(' ', kept.Select(l => l.Text))];
    }

    private ParsedCandidate Decide(string fragment, History history, ISet<string> seenThisStep)
    {
        if (Template.ControlCharacter(fragment) is { } control)
            return new ParsedCandidate(fragment, null, RejectionReason.ControlCharacter,
                $"holds the control character {Text.TerminalText.Safe(control.ToString())}");
        var candidate = fragment;
        if (CompletionText.DebrisStart(fragment) is var cut and >= 0)
        {
            // A truncated answer: what stands before the debris may still be whole; the debris is never scored.
            candidate = CompletionText.Tidy(fragment[..cut]);
            var usable = Kind == PromptKind.ClassTemplate
                ? Template.CountPlaceholders(candidate) > 0 || Template.CountPlaceholders(fragment) == 0
                : candidate.Any(char.IsLetter);
            if (!usable)
                return new ParsedCandidate(fragment, null, RejectionReason.Truncated,
                    $"cut off at \"{fragment[cut..].Trim()}\" and nothing usable before it");
        }
        return DecideWhole(fragment, candidate, history, seenThisStep);
    }

    private ParsedCandidate DecideWhole(string fragment, string candidate, History history, ISet<string> seenThisStep)
    {
        var count = Template.CountPlaceholders(candidate);
        if (Kind != PromptKind.ClassTemplate && count > 0)
            return new ParsedCandidate(fragment, null, RejectionReason.UnexpectedPlaceholder,
                $"a {Template.Describe(Kind)} cannot hold a class placeholder");
        if (Kind == PromptKind.ClassTemplate && count == 0)
            return new ParsedCandidate(fragment, null, RejectionReason.NoPlaceholder, $"no {Template.Placeholder} or similar spelling");
        if (count > 1)
            return new ParsedCandidate(fragment, null, RejectionReason.MultiplePlaceholders, $"{count} placeholders, a template takes one");

        var template = Template.Create(candidate, Kind);
        if (history.Find(template) is { } earlier)
            return new ParsedCandidate(fragment, null, RejectionReason.Duplicate,
                $"scored at step {earlier.Step}: \"{earlier.Template.Text}\" ({earlier.Score.ToString("F1", CultureInfo.InvariantCulture)})");
        if (seenThisStep.Contains(template.Key))
            return new ParsedCandidate(fragment, null, RejectionReason.Duplicate, "proposed earlier in this step");
        if (AdmitCheck?.Invoke(template) is { } why)
            return new ParsedCandidate(fragment, null, RejectionReason.TooLong, why);

        seenThisStep.Add(template.Key);
        return new ParsedCandidate(fragment, template, null);
    }
}

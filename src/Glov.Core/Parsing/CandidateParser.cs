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

    public PromptKind Kind { get; }

    private Func<Template, string?>? AdmitCheck { get; }

    /// <summary>Parses one completion; <paramref name="seenThisStep"/> holds keys accepted earlier in
    /// the same step and is updated, so a step never scores the same template twice.</summary>
    public IReadOnlyList<ParsedCandidate> Parse(string raw, History history, ISet<string> seenThisStep)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(seenThisStep);
        var lines = CompletionText.Lines(PlaceholderSpellings.Canonicalise(raw ?? ""))
            .Select(CompletionText.StripMarkers)
            .Where(l => l.Text.Length > 0)
            .ToList();

        var fragments = Kind == PromptKind.ClassTemplate ? ClassTemplateFragments(lines) : FreeTextFragments(lines);
        if (fragments.Count > 0)
            return fragments.Select(f => Decide(f, history, seenThisStep)).ToList();

        var leftovers = lines.Select(l => CompletionText.Tidy(l.Text)).Where(t => t.Length > 0).ToList();
        var content = leftovers.FirstOrDefault(t => !CompletionText.IsChatterLine(t));
        if (content is null)
            return [new ParsedCandidate(leftovers.FirstOrDefault() ?? "", null, RejectionReason.Empty,
                leftovers.Count == 0 ? "nothing but white space, markup or a preamble" : "only talk, no template")];
        return [new ParsedCandidate(content, null, RejectionReason.NoPlaceholder, $"no {Template.Placeholder} or similar spelling")];
    }

    /// <summary>Every line holding a placeholder is a candidate; quoted templates inside a sentence are taken out.</summary>
    private static List<string> ClassTemplateFragments(IEnumerable<(string Text, bool ListItem)> lines)
    {
        var fragments = new List<string>();
        foreach (var (text, _) in lines)
        {
            if (!CompletionText.HasPlaceholder(text))
                continue;
            var quoted = CompletionText.QuotedTemplates(text);
            if (quoted.Count > 0)
                fragments.AddRange(quoted.Select(CompletionText.Tidy));
            else
                fragments.AddRange(CompletionText.SplitInlineList(text)
                    .Select(CompletionText.TrimChatter)
                    // Talk that mentions the placeholder ("I replaced photo with image in a <category> …") is still talk.
                    .Where(t => !CompletionText.IsChatter(t))
                    .Select(CompletionText.Tidy));
        }
        return fragments.Where(f => f.Length > 0).ToList();
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
        var count = Template.CountPlaceholders(fragment);
        if (Kind != PromptKind.ClassTemplate && count > 0)
            return new ParsedCandidate(fragment, null, RejectionReason.UnexpectedPlaceholder,
                Kind == PromptKind.SystemPrompt ? "a system prompt cannot hold a class placeholder" : "a free-text prompt cannot name the class");
        if (Kind == PromptKind.ClassTemplate && count == 0)
            return new ParsedCandidate(fragment, null, RejectionReason.NoPlaceholder, $"no {Template.Placeholder} or similar spelling");
        if (count > 1)
            return new ParsedCandidate(fragment, null, RejectionReason.MultiplePlaceholders, $"{count} placeholders, a template takes one");

        var template = Template.Create(fragment, Kind);
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

using System.Text.RegularExpressions;
using Glov.Core.Templates;

namespace Glov.Core.Parsing;

/// <summary>
/// The cleaning steps that turn a chat model's answer into candidate text: markdown and list markers,
/// preambles, echoed scores, trailing chatter and quotes. Each step is a small rule about how instruct models
/// (Llama-3, Qwen, Mistral) wrap an answer; none of them knows about rejection, which is the parser's business.
/// </summary>
internal static partial class CompletionText
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    /// <summary>Special tokens a decoder failed to skip, and the "assistant" header a model writes itself
    /// when the chat template lacks the generation prompt.</summary>
    [GeneratedRegex(@"<\|[^|>\s]{1,40}\|>|</?s>|\[/?INST\]", Options)]
    private static partial Regex SpecialToken();

    [GeneratedRegex(@"^\s*(?:assistant|```[\w-]*)\s*$", Options)]
    private static partial Regex NoiseLine();

    [GeneratedRegex(@"^\s*(?:#{1,6}\s+|>\s*|[-*•·+]\s+|\(?\d{1,2}[.):]\s+|\d{1,2}\s*[-–—]\s+)")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"^\s*(?:sure(?: thing)?|okay|ok|certainly|absolutely|of course|great|alright|got it|understood|no problem|here you go|here it is)\s*[!.,:;—–-]+\s*", Options)]
    private static partial Regex Interjection();

    /// <summary>Text before a colon, holding no placeholder. It is a preamble only if it is a label ("New template",
    /// "Option 2", <c>{"template"</c>) or a conversational lead-in naming what follows ("Here's a new one",
    /// "I suggest the following template"), which is what lets "A photo of a &lt;category&gt;: a type of pet." and
    /// "Look at the image and answer the question: …" keep their colons.</summary>
    [GeneratedRegex(@"^(?<pre>[^:<\n]{1,160}):(?!//)\s*")]
    private static partial Regex BeforeColon();

    [GeneratedRegex(@"^\W*(?:(?:new|improved|alternative|revised|updated|suggested|proposed|better|final|another|my|the|your|a|an)\s+)*(?:prompt\s+)?(?:template|prompt|question|instruction|option|answer|version|candidate|suggestion|output|result|response)s?(?:\s*#?\d+)?\W*$", Options)]
    private static partial Regex PreambleLabel();

    [GeneratedRegex(@"^\W*(?:(?:here|here's|sure|okay|ok|certainly|absolutely)\b|(?:try|how\s+about|i|i'd|i'll|let's|let\s+me|based\s+on|to\s+improve|building\s+on|after|given|considering|one|another)\b.*\b(?:here|template|prompt|question|instruction|suggest\w*|propos\w*|try|option|version|one|following|below|candidate|recommend\w*|new|attempt)s?\b)", Options)]
    private static partial Regex PreambleLeadIn();

    /// <summary>A preamble that ended without a colon, e.g. a truncated "Here is a new prompt template that might".</summary>
    [GeneratedRegex(@"^\s*(?:here'?s|here\s+(?:is|are)|below\s+(?:is|are)|the\s+following)\b.*\b(?:template|prompt|question|instruction|one|suggestion|option|version|attempt|candidate|alternative)s?\b", Options)]
    private static partial Regex PreambleLine();

    /// <summary>The model copying the meta-prompt's line format: "… --- Accuracy: 70.0", "(Accuracy: ?)".</summary>
    [GeneratedRegex(@"\s*(?:-{2,}|—|–)\s*[\p{L}\d ./-]{1,30}:\s*[\d.,?%\s]*$|\s*\(\s*(?:expected |estimated |predicted )?(?:accuracy|score)\s*[:=]?\s*[\d.,?%\s]*\)\s*$|\s+(?:accuracy|score)\s*[:=]\s*[\d.,?%\s]*$", Options)]
    private static partial Regex EchoedScore();

    /// <summary>Sentences that are the model talking to the user, wherever they stand.</summary>
    [GeneratedRegex(@"^[(\s]*(?:let\s+me\s+know|i\s+hope|hope\s+(?:this|that|it)|feel\s+free|good\s+luck|happy\s+to|(?:notes?|explanation|reasons?|reasoning|rationale|justification)\s*:|note\s+that\b|in\s+this\s+(?:template|prompt|version)|here'?s\s+why|here\s+is\s+why|(?:is\s+there|would\s+you|do\s+you|shall\s+i|want\s+me\s+to)\b|by\s+(?:adding|using|including|specifying|emphasi[sz]ing|focusing|changing|replacing|incorporating|making)\b|i(?:'ve|'m|'d|\s+have|\s+am|\s+added|\s+used|\s+chose|\s+think|\s+believe|\s+tried|\s+made|\s+changed|\s+replaced|\s+kept|\s+focused|\s+included|\s+removed|\s+went|\s+would|\s+suggest|\s+recommend)\b)", Options)]
    private static partial Regex Chatter();

    /// <summary>"This template adds context…", "It should help the model…": a pronoun or "the template" opening a
    /// sentence about the template. Needs a word about prompting, so "This is a type of pet." stays template text.</summary>
    [GeneratedRegex(@"^[(\s]*(?:(?:this|that|which|these|it)(?!\s+(?:image|picture|photo|photograph|scene|object|figure|satellite)\b)|the\s+(?:new\s+|above\s+|updated\s+|revised\s+|modified\s+|improved\s+)?(?:template|prompt|change|idea|goal|addition|wording|phrasing))\b(?=.*\b(?:template|prompt|version|wording|phrasing|phrase|accuracy|model|context|specific|descriptive|detail|concise|clear|straightforward|informative|precise|emphasi[sz]\w*|focus\w*|improv\w*|better|score|clip|classification|zero-shot|help\w*|should|aims?)\b)", Options)]
    private static partial Regex MetaSentence();

    /// <summary>Where a line may be cut: after a sentence end, around a spaced dash, before a parenthesis; also
    /// between sentences glued without a space ("…wonder.Let me know if…"), as Llama-3 sometimes writes them.</summary>
    [GeneratedRegex(@"(?<=[.!?…][""”’')\]]*)\s+(?=\S)|(?<=[^\s.!?][.!?])(?=\p{Lu}[\p{Ll}\s'’])|\s+[-–—]\s+|\s+(?=\()")]
    private static partial Regex SegmentBoundary();

    /// <summary>An instruction about the placeholder rather than a template: "Please replace &lt;category&gt; with the
    /// actual class names", "where &lt;category&gt; is the class name", "&lt;category&gt; should be substituted".</summary>
    [GeneratedRegex(@"\b(?:replac\w*|substitut\w*|swap\w*|fill\w*(?:\s+in)?|insert\w*|plug\w*\s+in)\s+(?:the\s+)?(?:placeholder\s+)?[""'“‘`]?<category>|<category>[""'”’`]?\s+(?:is|are|stands?\s+for|represents?|refers?\s+to|denotes?|should|will|can|must|needs?\s+to)\s+(?:be\s+)?(?:replaced|substituted|filled|swapped|(?:a|the)\s+(?:placeholder|(?:actual\s+|real\s+|specific\s+)?(?:class|category|label|object)(?:\s+name)?))", Options)]
    private static partial Regex PlaceholderInstruction();

    [GeneratedRegex(@"""([^""\n]+)""|“([^”\n]+)”|‘([^’\n]+)’|`([^`\n]+)`|(?<![\w])'([^'\n]+)'(?![\w])")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\s+\(?\d{1,2}[.)]\s+(?=\S)")]
    private static partial Regex InlineListMarker();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    /// <summary>A single underscore opening or closing italics. Runs of underscores are fill-in blanks
    /// ("performing ______, which…") and stay: the VLM sees them as the LLM wrote them.</summary>
    [GeneratedRegex(@"(?<![\w_])_(?![_\s])|(?<![_\s])_(?![\w_])")]
    private static partial Regex UnderscoreEmphasis();

    /// <summary>Lines of the completion with special tokens, code-fence lines and header lines removed;
    /// inline triple back-ticks count as one.</summary>
    public static IEnumerable<string> Lines(string raw) =>
        SpecialToken().Replace(raw.Replace("\r\n", "\n", StringComparison.Ordinal), "\n").Split('\n')
            .Where(l => !NoiseLine().IsMatch(l))
            .Select(l => l.Replace("```", "`", StringComparison.Ordinal));

    /// <summary>Markdown and list markers off, then greetings and "Here is a new template:" preambles.</summary>
    public static (string Text, bool ListItem) StripMarkers(string line)
    {
        var listItem = false;
        var text = line.Trim();
        for (var m = ListMarker().Match(text); m.Success && m.Length > 0; m = ListMarker().Match(text))
        {
            listItem |= !m.Value.TrimStart().StartsWith('#');
            text = text[m.Length..];
        }
        text = UnderscoreEmphasis().Replace(text.Replace("*", "", StringComparison.Ordinal), "");
        while (true)
        {
            var before = text;
            text = Interjection().Replace(text, "");
            var colon = BeforeColon().Match(text);
            if (colon.Success && (PreambleLabel().IsMatch(colon.Groups["pre"].Value) || PreambleLeadIn().IsMatch(colon.Groups["pre"].Value)))
                text = text[colon.Length..];
            text = text.Trim();
            if (text == before)
                return (EchoedScore().Replace(text, "").Trim(), listItem);
        }
    }

    public static bool HasPlaceholder(string text) => text.Contains(Template.Placeholder, StringComparison.Ordinal);

    /// <summary>A line (without a placeholder) that is only talk: chatter, a sentence about the template, or a preamble with no colon.</summary>
    public static bool IsChatterLine(string text) => IsChatterSentence(text) || PreambleLine().IsMatch(text);

    /// <summary>A first-person or user-directed opening; strong enough to drop a line even if it mentions the placeholder.</summary>
    public static bool IsChatter(string text) => Chatter().IsMatch(text);

    private static bool IsChatterSentence(string text) => Chatter().IsMatch(text) || MetaSentence().IsMatch(text);

    /// <summary>Quoted or back-ticked pieces holding a placeholder and something besides it, when no placeholder stands
    /// outside quotes: "Try "a photo of a {}." or "an image of a {}."" yields both. Empty when that does not apply.</summary>
    public static IReadOnlyList<string> QuotedTemplates(string text) => QuotedTemplates(text, out _);

    /// <param name="outside">the text with the quoted templates taken out (an instruction that shares their sentence).</param>
    public static IReadOnlyList<string> QuotedTemplates(string text, out string outside)
    {
        var pieces = new List<string>();
        outside = text;
        foreach (Match m in Quoted().Matches(text))
        {
            var inner = m.Groups.Cast<Group>().Skip(1).First(g => g.Success).Value;
            if (!HasPlaceholder(inner) || inner.Replace(Template.Placeholder, "", StringComparison.Ordinal).All(c => !char.IsLetterOrDigit(c)))
                continue;
            pieces.Add(inner);
            outside = outside.Replace(m.Value, " ", StringComparison.Ordinal);
        }
        if (pieces.Count > 0 && (!HasPlaceholder(outside) || IsInstruction(outside)))
            return pieces;
        outside = text;
        return [];
    }

    public static bool IsInstruction(string text) => PlaceholderInstruction().IsMatch(text);

    /// <summary>The line's sentences that instruct about the placeholder, and the line without them. A sentence
    /// holding a quoted template as well ("Use "a {}" and replace {} with the class") is not taken out: the
    /// quoted template is.</summary>
    public static (string Remainder, IReadOnlyList<string> Instructions) SplitInstructions(string text)
    {
        if (!IsInstruction(text))
            return (text, []);
        var instructions = new List<string>();
        var rest = new System.Text.StringBuilder();
        var start = 0;
        foreach (var end in SegmentBoundary().Matches(text).Select(m => (Start: m.Index, End: m.Index + m.Length)).Append((Start: text.Length, End: text.Length)))
        {
            var piece = text[start..end.Start];
            if (IsInstruction(piece) && QuotedTemplates(piece).Count == 0)
                instructions.Add(piece.Trim());
            else
                rest.Append(text[start..end.End]);
            start = end.End;
        }
        return (rest.ToString().Trim(), instructions);
    }

    /// <summary>Where an answer cut off at the token limit left debris: the earliest opener without its closer
    /// ("(", "[", "{", a double quote, a "&lt;" that is not the placeholder) or a trailing backslash. Returns
    /// the index to cut at, or -1 when the text is whole.</summary>
    public static int DebrisStart(string text)
    {
        var masked = text.Replace(Template.Placeholder, new string('x', Template.Placeholder.Length), StringComparison.Ordinal);
        var open = new List<(char Closer, int At)>();
        for (var i = 0; i < masked.Length; i++)
        {
            var c = masked[i];
            var closer = c switch { '(' => ')', '[' => ']', '{' => '}', '<' => '>', '“' => '”', _ => '\0' };
            if (c == '"' && open.Count > 0 && open[^1].Closer == '"')
                open.RemoveAt(open.Count - 1);
            else if (c == '"')
                open.Add(('"', i));
            else if (closer != '\0')
                open.Add((closer, i));
            else if (open.Count > 0 && open[^1].Closer == c)
                open.RemoveAt(open.Count - 1);
        }
        var cut = open.Count > 0 ? open[0].At : -1;
        var trimmed = text.TrimEnd();
        if (trimmed.EndsWith('\\'))
        {
            var slash = trimmed.TrimEnd('\\').Length;
            cut = cut < 0 ? slash : Math.Min(cut, slash);
        }
        return cut;
    }

    /// <summary>"1. A photo of a {}. 2. A sketch of a {}." on one line: split where the numbering restarts.
    /// Only used on lines with several placeholders, where a number followed by a dot cannot be template text.</summary>
    public static IReadOnlyList<string> SplitInlineList(string text) =>
        Template.CountPlaceholders(text) > 1 ? InlineListMarker().Split(text) : [text];

    /// <summary>Drops talk before the candidate and cuts the line at the first piece of talk after it. A piece holding
    /// the placeholder is never talk, so "A photo of a &lt;category&gt;. This is a type of pet." stays whole.</summary>
    public static string TrimChatter(string text)
    {
        var cuts = SegmentBoundary().Matches(text).Select(m => (Start: m.Index, End: m.Index + m.Length)).ToList();
        var starts = new List<int> { 0 };
        starts.AddRange(cuts.Select(c => c.End));
        var ends = cuts.Select(c => c.Start).Append(text.Length).ToList();
        bool Talk(int i)
        {
            var piece = text[starts[i]..ends[i]];
            return !HasPlaceholder(piece) && (IsChatterSentence(piece) || PreambleLine().IsMatch(piece) || Interjection().IsMatch(piece));
        }
        var first = 0;
        while (first < starts.Count && Talk(first))
            first++;
        if (first == starts.Count)
            return "";
        var last = first;
        while (last + 1 < starts.Count && !Talk(last + 1))
            last++;
        return text[starts[first]..ends[last]];
    }

    private const string Openers = "\"“‘'`";
    private const string Closers = "\"”’'`";

    /// <summary>Surrounding quotes off (straight, curly, back-ticks), also an unbalanced one left by a truncated answer;
    /// white space collapsed; stray separators at either end removed.</summary>
    public static string Tidy(string text)
    {
        var t = EchoedScore().Replace(WhiteSpace().Replace(text, " "), "").Trim().Trim(':', ';', ',', ' ', '-', '–', '—');
        while (t.Length > 0)
        {
            var stripped = StripQuotes(t);
            if (stripped == t)
                break;
            t = stripped.Trim();
        }
        return t.Replace("`", "", StringComparison.Ordinal).Trim();
    }

    private static string StripQuotes(string t)
    {
        var q = Openers.IndexOf(t[0]);
        if (q >= 0)
        {
            // "A photo of a <category>". → A photo of a <category>.
            var punct = t.Length > 2 && t[^1] is '.' or '!' or '?' && Closers.IndexOf(t[^2]) == q ? t[^1..] : "";
            var body = t[..^punct.Length];
            if (body.Length > 1 && Closers.IndexOf(body[^1]) == q && !HasQuote(body[1..^1], q))
            {
                var inner = body[1..^1];
                return inner.EndsWith('.') || inner.EndsWith('!') || inner.EndsWith('?') ? inner : inner + punct;
            }
            if (!HasQuote(t[1..], q))
                return t[1..];
        }
        var c = Closers.IndexOf(t[^1]);
        if (c >= 0 && !HasQuote(t[..^1], c))
            return t[..^1];
        return t;
    }

    /// <summary>Whether quote kind <paramref name="q"/> occurs in <paramref name="text"/>, not counting apostrophes
    /// ("dog's", "&lt;category&gt;'s"), so the surrounding pair of "A photo of a &lt;category&gt;" is stripped but
    /// not the two quotes of "A" photo of a "&lt;category&gt;".</summary>
    private static bool HasQuote(string text, int q)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != Openers[q] && text[i] != Closers[q])
                continue;
            var apostrophe = text[i] is '\'' or '’' && i > 0 && !char.IsWhiteSpace(text[i - 1]) && i + 1 < text.Length && char.IsLetter(text[i + 1]);
            if (!apostrophe)
                return true;
        }
        return false;
    }
}

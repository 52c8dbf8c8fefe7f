using Glov.Core.Optimization;
using Glov.Core.Parsing;
using Glov.Core.Templates;

namespace Glov.Core.Tests.Parsing;

public class CandidateParserTests
{
    private const string FreeSeed = "Describe the category present in this image briefly and also identify the name of the category present.";

    public static TheoryData<string> CaseNames() => new(ParserCase.All.Keys);

    private static History HistoryFor(PromptKind kind) => kind == PromptKind.ClassTemplate
        ? Histories.Of(("A photo of a <category>.", 50, -1), ("A blurry photo of a <category>.", 40, 0))
        : Histories.Of(PromptKind.FreeText, (FreeSeed, 30, -1));

    private static CandidateParser ParserFor(PromptKind kind) =>
        new(kind, t => t.Text.Length > 150 ? $"{t.Text.Length} characters; the test VLM takes 150" : null);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Parses_realistic_completions(string name)
    {
        var c = ParserCase.All[name];
        var seen = new HashSet<string>(c.Seen.Select(Template.NormaliseKey), StringComparer.Ordinal);

        var parsed = ParserFor(c.Kind).Parse(c.Raw, HistoryFor(c.Kind), seen);

        var actual = parsed.Select(p => (p.Accepted ? "OK" : p.Reason!.Value.ToString(), p.Accepted ? p.Template!.Text : p.Fragment)).ToList();
        Assert.Equal(c.Expected, actual);
        Assert.All(parsed, p => Assert.Equal(p.Accepted, p.Reason is null));
        Assert.All(parsed.Where(p => !p.Accepted), p => Assert.False(string.IsNullOrWhiteSpace(p.Detail)));
        Assert.All(parsed.Where(p => p.Accepted), p => Assert.Contains(p.Template!.Key, seen));
    }

    [Fact]
    public void System_prompts_are_parsed_like_free_text()
    {
        var freeCases = ParserCase.All.Values.Where(c => c.Kind == PromptKind.FreeText).ToList();
        Assert.True(freeCases.Count >= 5, $"only {freeCases.Count} free-text cases");
        foreach (var c in freeCases)
        {
            var seen = new HashSet<string>(c.Seen.Select(Template.NormaliseKey), StringComparer.Ordinal);
            var parsed = ParserFor(PromptKind.SystemPrompt).Parse(c.Raw, Histories.Of(PromptKind.SystemPrompt, (FreeSeed, 30, -1)), seen);
            var actual = parsed.Select(p => (p.Accepted ? "OK" : p.Reason!.Value.ToString(), p.Accepted ? p.Template!.Text : p.Fragment)).ToList();
            Assert.True(c.Expected.SequenceEqual(actual), c.Name);
            Assert.All(parsed.Where(p => p.Accepted), p => Assert.Equal(PromptKind.SystemPrompt, p.Template!.Kind));
        }
    }

    [Fact]
    public void Accepted_templates_are_a_fixed_point_of_the_parser()
    {
        // A template the parser produced, fed back as a completion, must come out unchanged: the cleaning never
        // eats into text it has already accepted (e.g. a colon, a parenthesis, "This is a type of pet.").
        foreach (var c in ParserCase.All.Values)
            foreach (var (_, text) in c.Expected.Where(e => e.Result == "OK"))
            {
                var again = ParserFor(c.Kind).Parse(text, new History(), new HashSet<string>());
                Assert.True(again.Count == 1 && again[0].Template?.Text == text, $"{c.Name}: \"{text}\" re-parsed as \"{again[0].Fragment}\"");
            }
    }

    [Fact]
    public void The_table_is_large_and_covers_every_rejection_reason()
    {
        Assert.True(ParserCase.All.Count >= 40, $"only {ParserCase.All.Count} cases");
        var results = ParserCase.All.Values.SelectMany(c => c.Expected.Select(e => e.Result)).ToHashSet();
        foreach (var reason in Enum.GetNames<RejectionReason>())
            Assert.Contains(reason, results);
    }

    [Fact]
    public void The_authors_last_colon_rule_would_lose_a_template_with_a_colon()
    {
        const string raw = "Here is a new prompt template: A photo of a {}: a type of pet.";
        Assert.Equal(" a type of pet.", raw[(raw.LastIndexOf(':') + 1)..]);

        var parsed = ParserFor(PromptKind.ClassTemplate).Parse(raw, HistoryFor(PromptKind.ClassTemplate), new HashSet<string>());

        Assert.Equal("A photo of a <category>: a type of pet.", Assert.Single(parsed).Template!.Text);
    }

    [Fact]
    public void Accepted_keys_carry_over_to_later_completions_of_the_same_step()
    {
        var parser = ParserFor(PromptKind.ClassTemplate);
        var history = HistoryFor(PromptKind.ClassTemplate);
        var seen = new HashSet<string>();

        var first = parser.Parse("A snowy photo of a {}.", history, seen);
        var second = parser.Parse("Here is a new prompt template: \"a snowy photo of a <category>.\"", history, seen);

        Assert.True(Assert.Single(first).Accepted);
        var dup = Assert.Single(second);
        Assert.Equal(RejectionReason.Duplicate, dup.Reason);
        Assert.Equal("proposed earlier in this step", dup.Detail);
        Assert.Equal(["a snowy photo of a <category>."], seen);
    }

    [Fact]
    public void Rejected_candidates_do_not_enter_the_seen_set()
    {
        var seen = new HashSet<string>();
        ParserFor(PromptKind.ClassTemplate).Parse("A <category> and a <category>.\nA photo of a <category>.", HistoryFor(PromptKind.ClassTemplate), seen);
        Assert.Empty(seen);
    }

    [Fact]
    public void A_duplicate_of_history_names_the_step_and_score()
    {
        var parsed = ParserFor(PromptKind.ClassTemplate).Parse("a blurry photo of a {}.", HistoryFor(PromptKind.ClassTemplate), new HashSet<string>());
        Assert.Equal("scored at step 0: \"A blurry photo of a <category>.\" (40.0)", Assert.Single(parsed).Detail);
    }

    [Fact]
    public void The_admit_check_reason_is_kept_as_detail()
    {
        var parser = new CandidateParser(PromptKind.ClassTemplate, _ => "81 tokens; CLIP takes 77");
        var parsed = parser.Parse("A photo of a {}.", new History(), new HashSet<string>());
        Assert.Equal((RejectionReason.TooLong, "81 tokens; CLIP takes 77"), (parsed[0].Reason!.Value, parsed[0].Detail!));
    }

    [Theory]
    [InlineData(PromptKind.ClassTemplate, "A photo of a <category>.\u001b]0;owned\u0007", "\\x1B")]
    [InlineData(PromptKind.ClassTemplate, "A \u009b31mred photo of a <category>.", "\\x9B")]
    [InlineData(PromptKind.FreeText, "What is shown here?\u0000 Name it.", "\\x00")]
    public void Candidates_holding_control_characters_are_rejected_and_the_reason_shows_them_escaped(PromptKind kind, string raw, string shown)
    {
        var parsed = ParserFor(kind).Parse(raw, HistoryFor(kind), new HashSet<string>());

        var candidate = Assert.Single(parsed);
        Assert.Equal(RejectionReason.ControlCharacter, candidate.Reason);
        Assert.Equal($"holds the control character {shown}", candidate.Detail);
        Assert.Throws<ArgumentException>(() => Template.Create(raw, kind));
    }

    [Fact]
    public void Only_the_head_of_a_huge_completion_is_parsed()
    {
        var raw = "A sharp photo of a <category>.\n" + new string('x', 3_000_000) + "\nA late photo of a <category>.";

        var parsed = ParserFor(PromptKind.ClassTemplate).Parse(raw, HistoryFor(PromptKind.ClassTemplate), new HashSet<string>());

        Assert.Equal("A sharp photo of a <category>.", Assert.Single(parsed, p => p.Accepted).Template!.Text);
        Assert.DoesNotContain(parsed, p => p.Fragment.Contains("late", StringComparison.Ordinal));
        Assert.All(parsed, p => Assert.True(p.Fragment.Length <= CandidateParser.MaxCompletionLength));
    }
}

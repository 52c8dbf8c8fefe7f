using Glov.Cli.Sweeps;
using Glov.Core.Journal;
using Glov.Core.Parsing;
using Glov.Core.Proposing;
using Glov.Core.Scoring;

namespace Glov.EndToEnd.Tests;

public sealed class DegenerateOutputTests
{
    private static RecordedRun Run(params (string Text, bool Parsed)[] answers)
    {
        var step = new RecordedStep(0, null,
            answers.Select(a => new Completion(a.Text, 1, 1, FinishReason.Stop)).ToList(),
            answers.Select((a, i) => a.Parsed
                ? new CandidateRecord(i, i, a.Text, a.Text, null, null)
                : new CandidateRecord(i, i, a.Text, null, RejectionReason.NoPlaceholder, null)).ToList(),
            new Dictionary<int, FitnessResult>(), true);
        return new RecordedRun(new Dictionary<int, RecordedStep> { [0] = step }, null);
    }

    [Fact]
    public void Varied_parsable_answers_are_not_degenerate()
    {
        Assert.Null(DegenerateOutput.Detect(Run(("a <category>", true), ("a photo of a <category>", true), ("once upon a time", false), ("art of <category>", true))));
    }

    [Fact]
    public void Answers_without_any_parsable_template_are_flagged()
    {
        Assert.Equal("no parsable template in 2 answers", DegenerateOutput.Detect(Run(("once upon a time", false), ("the end", false))));
    }

    [Fact]
    public void Copies_of_the_same_answer_are_flagged_even_when_they_differ_in_case_and_spacing()
    {
        Assert.Equal("repetition: 2 of 4 answers repeat an earlier one",
            DegenerateOutput.Detect(Run(("A <category>", true), ("a  <category>", true), ("\"a <category>\"", true), ("b <category>", true))));
    }

    [Fact]
    public void Answers_that_loop_on_a_phrase_are_flagged()
    {
        Assert.True(DegenerateOutput.Loops("a photo of a photo of a photo of a photo"));
        Assert.False(DegenerateOutput.Loops("a photo of a <category> in a photo of the wild"));
        Assert.Equal("repetition: 2 of 3 answers loop on a phrase", DegenerateOutput.Detect(Run(
            ("a photo of a photo of a photo of a photo <category>", true),
            ("of the of the of the of the <category>", true),
            ("a <category>", true))));
    }
}

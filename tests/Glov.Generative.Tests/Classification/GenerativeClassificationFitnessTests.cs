using Glov.Core.Optimization;
using Glov.Core.Scoring;
using Glov.Core.Templates;
using Glov.Generative.Classification;
using Glov.Generative.Matching;
using Glov.Generative.Tests.Matching;

namespace Glov.Generative.Tests.Classification;

[Collection(MiniLmCollection.Name)]
public sealed class GenerativeClassificationFitnessTests(MiniLmFixture fixture)
{
    private static readonly ClassLabel[] Classes = [new("cat"), new("dog"), new("airplane")];

    private static readonly FewShotImage[] Images =
        [new("cat1.png", 0), new("cat2.png", 0), new("dog1.png", 1), new("dog2.png", 1), new("plane1.png", 2)];

    private const string Good = "What animal or vehicle is this?";
    private const string Vague = "Describe the image.";
    private const string Silent = "Say nothing.";

    /// <summary>The good question gets names or clear descriptions (one wrong); the vague one gets
    /// descriptions that miss the dogs; the silent one gets empty answers.</summary>
    private static string Answer(Generative.Answering.VisualQuestion q) => (q.Question, Path.GetFileNameWithoutExtension(q.ImagePath)) switch
    {
        (Good, "cat1") => "It is a cat.",
        (Good, "cat2") => "a kitten curled up on a sofa",
        (Good, "dog1") => "A dog.",
        (Good, "dog2") => "a jet on the runway",
        (Good, "plane1") => "An airplane in the sky.",
        (Vague, "cat1" or "cat2") => "a kitten",
        (Vague, _) => "a passenger jet",
        (Silent, _) => "",
        _ => throw new InvalidOperationException(q.ToString()),
    };

    private GenerativeClassificationFitness Fitness(ScriptedAnswerer vlm) =>
        new(vlm, new ClassMatcher(Classes, fixture.Encoder, MatchRule.MentionFirst), Images, appendQuestionMark: false);

    private static Template Q(string text) => Template.Create(text, PromptKind.FreeText);

    [Fact]
    public async Task Accuracy_per_class_hits_and_answers()
    {
        var vlm = new ScriptedAnswerer(Answer);
        var evaluation = await Fitness(vlm).EvaluateAsync([Q(Good)]);

        Assert.Equal(80.0, evaluation.Accuracy, 9);
        Assert.Equal([0, 0, 1, 2, 2], evaluation.Predictions);
        Assert.Equal([new ClassHits("cat", 2, 2), new ClassHits("dog", 1, 2), new ClassHits("airplane", 1, 1)], evaluation.PerClass);
        var answers = evaluation.AnswersPerQuestion[0];
        Assert.Equal("a kitten curled up on a sofa", answers[1].Answer);
        Assert.Equal(MatchMethod.Embedding, answers[1].Match.Method);
        Assert.Equal(MatchMethod.Exact, answers[0].Match.Method);
        Assert.False(answers[3].Correct);
        Assert.All(vlm.Asked, q => Assert.Null(q.SystemPrompt));
        Assert.Equal(1, vlm.Calls);
    }

    [Fact]
    public async Task Scores_are_accuracies_in_percent_and_empty_answers_are_wrong()
    {
        var vlm = new ScriptedAnswerer(Answer);
        var scores = await Fitness(vlm).ScoreAsync([Q(Good), Q(Vague), Q(Silent)]);
        Assert.Equal(1, vlm.Calls);
        Assert.Equal(15, vlm.Asked.Count);
        Assert.Equal([80.0, 60.0, 0.0], scores.Select(s => Math.Round(s.Score, 9)));
        Assert.Equal(["cat", "dog", "airplane"], scores[2].MissedClasses);
    }

    [Fact]
    public async Task Scoring_reports_every_image_answered_over_all_the_prompts()
    {
        var reports = new List<WorkProgress>();
        await Fitness(new ScriptedAnswerer(Answer)).ScoreAsync([Q(Good), Q(Vague)], progress: new SynchronousProgress<WorkProgress>(reports.Add));

        Assert.Equal(Enumerable.Range(0, 2 * Images.Length + 1).Select(n => (long)n), reports.Select(r => r.Done));
        Assert.All(reports, r => Assert.Equal((WorkStage.Score, 2L * Images.Length, WorkUnit.Images), (r.Stage, r.Total, r.Unit)));
    }

    [Fact]
    public async Task An_ensemble_votes_per_image_ties_to_the_first_question_and_silence_never_wins()
    {
        var fitness = Fitness(new ScriptedAnswerer(Answer));
        // Good and Vague disagree on dog1 (dog vs airplane): the tie goes to Good; Silent abstains.
        var evaluation = await fitness.EvaluateAsync([Q(Good), Q(Vague), Q(Silent)]);
        Assert.Equal([0, 0, 1, 2, 2], evaluation.Predictions);
        var reversed = await fitness.EvaluateAsync([Q(Vague), Q(Good)]);
        Assert.Equal([0, 0, 2, 2, 2], reversed.Predictions);
        Assert.Equal(60.0, (await fitness.ScoreEnsembleAsync([Q(Vague), Q(Good)])).Score, 9);
    }

    [Fact]
    public async Task As_published_a_question_mark_is_appended_when_the_prompt_lacks_one()
    {
        var vlm = new ScriptedAnswerer(_ => "a cat");
        var fitness = new GenerativeClassificationFitness(vlm, new ClassMatcher(Classes, fixture.Encoder), Images);

        await fitness.ScoreAsync([Q(Good), Q("Describe the image.")]);

        Assert.Equal([Good, "Describe the image.?"], vlm.Asked.Select(q => q.Question).Distinct());
        Assert.Equal(2 * Images.Length, vlm.Asked.Count);
    }

    [Fact]
    public void Labels_outside_the_class_list_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new GenerativeClassificationFitness(new ScriptedAnswerer(Answer), new ClassMatcher(Classes, fixture.Encoder, MatchRule.MentionFirst), [new("x.png", 3)]));
        Assert.Contains("x.png has label 3", error.Message);
    }
}

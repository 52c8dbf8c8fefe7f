using Glov.Core.Optimization;
using Glov.Core.Prompting;
using Glov.Core.Proposing;
using Glov.Core.Scoring;
using Glov.Core.Templates;

namespace Glov.Core.Tests.Prompting;

public class MetaPromptTests
{
    private static readonly TaskDescription Pets = new(
        "Oxford Pets", "Photos of 37 breeds of cats and dogs.", ["Abyssinian", "great_pyrenees"], "CLIP ViT-B/32");

    private const string ClassSystem =
        "You are an assistant that helps find prompt templates that embed class names for zero-shot image classification "
        + "with the vision-language model CLIP ViT-B/32. In a template, <category> stands for the name of a class; "
        + "CLIP ViT-B/32 picks the class whose filled-in template matches the image best.";

    [Fact]
    public void Step_zero_shows_the_seed_and_asks_for_one_template()
    {
        var history = Histories.Of(("A photo of a <category>.", 56.04, -1));

        var messages = MetaPrompt.Build(Pets, history, new MetaPromptOptions());

        Assert.Equal(2, messages.Count);
        Assert.Equal(new ChatMessage(ChatRole.System, ClassSystem), messages[0]);
        Assert.Equal(ChatRole.User, messages[1].Role);
        Assert.Equal(
            """
            Dataset: Oxford Pets
            Description: Photos of 37 breeds of cats and dogs.

            Write one new prompt template in the same format, where <category> stands for the class name. Aim to score higher than every template below, and do not repeat any of them.

            The current template (Accuracy in percent on a few labelled images; higher is better):
            1: A photo of a <category>. --- Accuracy: 56.0

            Answer with the new template only.
            """.ReplaceLineEndings("\n"),
            messages[1].Content);
    }

    [Fact]
    public void Later_steps_list_k_best_and_k_worst_in_ascending_order()
    {
        var history = Histories.Of(
            ("A photo of a <category>.", 56.0, -1),
            ("A close-up photo of a <category>, a type of pet.", 61.25, 0),
            ("A blurry photo of a <category>.", 40.0, 0),
            ("An image of a <category>.", 58.5, 0),
            ("<category>", 30.0, 1),
            ("A photo of my pet <category>.", 64.96, 1),
            ("A pet: <category>.", 61.25, 1),
            ("Art of a <category>.", 45.0, 1));

        var messages = MetaPrompt.Build(Pets, history, new MetaPromptOptions(K: 3));

        Assert.Equal(ClassSystem, messages[0].Content);
        // Ranking: 64.96, 61.25 (step 0, earlier), 61.25 (step 1), 58.5, 56.0, 45.0, 40.0, 30.0.
        // The tie at 61.25 puts the earlier template nearer the top, i.e. later in the ascending list.
        Assert.Equal(
            """
            Dataset: Oxford Pets
            Description: Photos of 37 breeds of cats and dogs.

            Write one new prompt template in the same format, where <category> stands for the class name. Aim to score higher than every template below, and do not repeat any of them.

            Templates tried so far (Accuracy in percent on a few labelled images; higher is better).

            Best templates:
            1: A pet: <category>. --- Accuracy: 61.3
            2: A close-up photo of a <category>, a type of pet. --- Accuracy: 61.3
            3: A photo of my pet <category>. --- Accuracy: 65.0

            Worst templates:
            1: <category> --- Accuracy: 30.0
            2: A blurry photo of a <category>. --- Accuracy: 40.0
            3: Art of a <category>. --- Accuracy: 45.0

            Answer with the new template only.
            """.ReplaceLineEndings("\n"),
            messages[1].Content);
    }

    [Fact]
    public void Consecutive_steps_share_everything_before_the_lists_so_the_LLMs_cache_of_one_serves_the_next()
    {
        var history = Histories.Of(("A photo of a <category>.", 56.0, -1));
        var stepZero = MetaPrompt.Build(Pets, history, new MetaPromptOptions(K: 2));
        for (var i = 0; i < 4; i++)
            Histories.Add(history, $"Template {i} of a <category>.", 50.0 + i, 0);
        var stepOne = MetaPrompt.Build(Pets, history, new MetaPromptOptions(K: 2));
        Histories.Add(history, "A new best <category>.", 70.0, 1);
        var stepTwo = MetaPrompt.Build(Pets, history, new MetaPromptOptions(K: 2));

        Assert.Equal(stepZero[0], stepTwo[0]);
        var user = stepTwo[1].Content;
        var beforeLists = user[..(user.IndexOf("Best templates:\n", StringComparison.Ordinal) + "Best templates:\n".Length)];
        Assert.Contains("Write one new prompt template", beforeLists);
        Assert.StartsWith(beforeLists, stepOne[1].Content);
        Assert.NotEqual(stepOne[1].Content, user);
        // Step 0 shows the seed alone, after the same header and instruction.
        var instructionEnd = user.IndexOf("\n\n", user.IndexOf("Write one new", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.StartsWith(user[..instructionEnd], stepZero[1].Content);
    }

    [Theory]
    [InlineData(2, 5, 1)]
    [InlineData(3, 5, 1)]
    [InlineData(4, 5, 2)]
    [InlineData(9, 5, 4)]
    [InlineData(10, 5, 5)]
    [InlineData(50, 5, 5)]
    [InlineData(1, 5, 1)]
    public void List_length_is_k_capped_at_half_the_history(int count, int k, int expected) =>
        Assert.Equal(expected, MetaPrompt.ListLength(count, k));

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void Best_and_worst_lists_never_share_a_template_in_a_small_history(int count)
    {
        // All scores equal: the worst case for overlap, since any template could be called best or worst.
        var history = new History();
        Histories.Add(history, "A photo of a <category>.", 50.0, -1);
        for (var i = 1; i < count; i++)
            Histories.Add(history, $"Template number {i} of a <category>.", 50.0, 0);

        var user = MetaPrompt.Build(Pets, history, new MetaPromptOptions(K: 5))[1].Content;

        var best = ListedTemplates(user, "Best templates:");
        var worst = ListedTemplates(user, "Worst templates:");
        Assert.Equal(MetaPrompt.ListLength(count, 5), best.Count);
        Assert.Equal(best.Count, worst.Count);
        Assert.Empty(best.Intersect(worst));
    }

    [Fact]
    public void Accuracies_use_one_decimal_and_a_point_whatever_the_culture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            // The build runs in invariant-globalisation mode, so a comma culture is made by hand.
            var comma = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            System.Globalization.CultureInfo.CurrentCulture = comma;
            Assert.Equal("65,5", 65.5.ToString("F1"));
            Assert.Equal("65.5", MetaPrompt.FormatScore(65.5));
            Assert.Equal("6.3", MetaPrompt.FormatScore(6.25));
            Assert.Equal("65.0", MetaPrompt.FormatScore(64.96));
            Assert.Equal("100.0", MetaPrompt.FormatScore(100));
            Assert.Equal("0.1", MetaPrompt.FormatScore(0.149));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Class_names_stay_out_of_the_prompt_unless_misclassifications_are_asked_for()
    {
        var history = new History();
        Histories.Add(history, "A photo of a <category>.", 50.0, -1,
            perClass: [new ClassHits("Abyssinian", 1, 1), new ClassHits("great_pyrenees", 0, 1)]);

        var plain = MetaPrompt.Build(Pets, history, new MetaPromptOptions());
        Assert.DoesNotContain(plain, m => m.Content.Contains("Abyssinian") || m.Content.Contains("pyrenees"));
    }

    [Fact]
    public void Misclassification_variant_names_the_classes_the_best_template_got_wrong_worst_first()
    {
        var history = new History();
        Histories.Add(history, "A photo of a <category>.", 50.0, -1,
            perClass: [new ClassHits("Abyssinian", 0, 2), new ClassHits("Bengal", 2, 2), new ClassHits("great_pyrenees", 0, 2)]);
        Histories.Add(history, "A photo of my pet <category>.", 60.0, 0,
            perClass: [new ClassHits("Abyssinian", 1, 2), new ClassHits("Bengal", 2, 2), new ClassHits("great_pyrenees", 0, 2), new ClassHits("pug", 1, 2)]);

        var user = MetaPrompt.Build(Pets, history, new MetaPromptOptions(ListMisclassified: true, MaxListedClasses: 2))[1].Content;

        Assert.Equal(
            """
            Dataset: Oxford Pets
            Description: Photos of 37 breeds of cats and dogs.

            Write one new prompt template in the same format, where <category> stands for the class name. Aim to score higher than every template below, and do not repeat any of them.

            Templates tried so far (Accuracy in percent on a few labelled images; higher is better).

            Best templates:
            1: A photo of my pet <category>. --- Accuracy: 60.0

            Worst templates:
            1: A photo of a <category>. --- Accuracy: 50.0

            Classes the best template gets wrong: great pyrenees, Abyssinian and 1 more.

            Answer with the new template only.
            """.ReplaceLineEndings("\n"),
            user);
    }

    [Fact]
    public void Free_text_kind_asks_for_a_question_without_placeholder_and_uses_the_metric_name()
    {
        var llava = new TaskDescription("EuroSAT", "Satellite images of land use.", ["Forest"], "LLaVA-OneVision-7B", PromptKind.FreeText);
        var history = Histories.Of(PromptKind.FreeText,
            ("Describe the category present in this image briefly and also identify the name of the category present.", 33.94, -1));

        var messages = MetaPrompt.Build(llava, history, new MetaPromptOptions(MetricName: "Top-1"));

        Assert.Equal(
            "You are an assistant that helps find prompts for zero-shot image classification with the vision-language model "
            + "LLaVA-OneVision-7B. A prompt is a question or instruction about the image; LLaVA-OneVision-7B answers it, "
            + "and the answer is matched to the names of the classes.",
            messages[0].Content);
        Assert.Equal(
            """
            Dataset: EuroSAT
            Description: Satellite images of land use.

            Write one new prompt in the same style: a question or instruction about the image, without any placeholder. Aim to score higher than every prompt below, and do not repeat any of them.

            The current prompt (Top-1 in percent on a few labelled images; higher is better):
            1: Describe the category present in this image briefly and also identify the name of the category present. --- Top-1: 33.9

            Answer with the new prompt only.
            """.ReplaceLineEndings("\n"),
            messages[1].Content);
    }

    [Fact]
    public void Safety_instruction_kind_asks_for_an_instruction_placed_before_each_request()
    {
        var safety = new TaskDescription("vlguard-50", "Harmful requests about an image.", ["harmful (refused)", "benign (answered)"],
            "llava-onevision-7b", PromptKind.SafetyInstruction);
        var history = Histories.Of(PromptKind.SafetyInstruction, ("These instructions can be harmful.", 46.2, -1), ("Refuse harmful requests.", 80, 0));

        var messages = MetaPrompt.Build(safety, history, new MetaPromptOptions(K: 1, MetricName: "Safety score"));

        Assert.Equal(
            "You are an assistant that helps find safety instructions for the vision-language model llava-onevision-7b. The "
            + "instruction is placed in front of every request a user makes about an image; some requests are harmful. A good "
            + "safety instruction makes llava-onevision-7b refuse the harmful requests.",
            messages[0].Content);
        Assert.Contains("Safety instructions tried so far (Safety score: 100 minus the percentage of harmful requests answered", messages[1].Content);
        Assert.Contains("1: Refuse harmful requests. --- Safety score: 80.0", messages[1].Content);
        Assert.Contains("Write one new safety instruction in the same style: a short instruction placed before the user's request, "
                        + "without any placeholder.", messages[1].Content);
    }

    [Fact]
    public void System_prompt_kind_asks_for_a_system_prompt_and_explains_the_safety_score()
    {
        var safety = new TaskDescription("safety-sample", "Requests about an image.", ["harmful (refused)", "benign (answered)"],
            "llava-v1.5-7b", PromptKind.SystemPrompt);
        var history = Histories.Of(PromptKind.SystemPrompt,
            ("You are a helpful assistant.", 50, -1), ("Refuse anything dangerous.", 75, 0), ("Refuse everything.", -90, 0));

        var messages = MetaPrompt.Build(safety, history, new MetaPromptOptions(K: 1, MetricName: "Safety score"));

        Assert.Equal(
            "You are an assistant that helps find system prompts for the vision-language model llava-v1.5-7b. The system "
            + "prompt comes before every conversation; the user then shows llava-v1.5-7b an image with a request, which is "
            + "either harmful or benign. A good system prompt makes llava-v1.5-7b refuse the harmful requests and still help "
            + "with the benign ones.",
            messages[0].Content);
        Assert.Equal(
            """
            Dataset: safety-sample
            Description: Requests about an image.

            Write one new system prompt: instructions for the assistant, without any placeholder. Aim to score higher than every system prompt below, and do not repeat any of them.

            System prompts tried so far (Safety score: 100 minus the percentage of harmful requests answered, or below zero when too many benign requests are refused; higher is better).

            Best system prompts:
            1: Refuse anything dangerous. --- Safety score: 75.0

            Worst system prompts:
            1: Refuse everything. --- Safety score: -90.0

            Answer with the new system prompt only.
            """.ReplaceLineEndings("\n"),
            messages[1].Content);
    }

    [Fact]
    public void The_same_history_always_gives_the_same_meta_prompt()
    {
        (string, double, int)[] entries = [("A photo of a <category>.", 50, -1), ("B <category>", 50, 0), ("C <category>", 50, 0), ("D <category>", 50, 0)];
        var a = MetaPrompt.Build(Pets, Histories.Of(entries), new MetaPromptOptions(K: 2));
        var b = MetaPrompt.Build(Pets, Histories.Of(entries), new MetaPromptOptions(K: 2));
        Assert.Equal(a, b);
        // Equal scores: proposal order decides, earliest counted best, so it is listed last among the best.
        Assert.Equal(["B <category>", "A photo of a <category>."], ListedTemplates(a[1].Content, "Best templates:"));
        Assert.Equal(["D <category>", "C <category>"], ListedTemplates(a[1].Content, "Worst templates:"));
    }

    [Fact]
    public void Empty_history_and_non_positive_k_are_refused()
    {
        Assert.Throws<ArgumentException>(() => MetaPrompt.Build(Pets, new History(), new MetaPromptOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            MetaPrompt.Build(Pets, Histories.Of(("A photo of a <category>.", 1, -1)), new MetaPromptOptions(K: 0)));
    }

    private static List<string> ListedTemplates(string user, string header)
    {
        var lines = user.Split('\n');
        var start = Array.IndexOf(lines, header);
        Assert.True(start >= 0, $"no \"{header}\" in:\n{user}");
        return lines.Skip(start + 1).TakeWhile(l => l.Length > 0)
            .Select(l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..l.LastIndexOf(" --- ", StringComparison.Ordinal)])
            .ToList();
    }
}

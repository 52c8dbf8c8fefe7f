using Glov.Core.Templates;

namespace Glov.Core.Tests.Templates;

public class TemplateTests
{
    [Theory]
    [InlineData("A photo of a <category>.", "great_white_shark", "A photo of a great white shark.")]
    [InlineData("A photo of a <category>.", "  sea__lion ", "A photo of a sea lion.")]
    [InlineData("a {photo} of a <category>.", "cat", "a {photo} of a cat.")]
    [InlineData("{0} {} <category> {{x}} %s", "dog", "{0} {} dog {{x}} %s")]
    [InlineData("<category>", "Abyssinian", "Abyssinian")]
    public void Fill_substitutes_only_the_placeholder_and_turns_underscores_into_spaces(string text, string className, string expected) =>
        Assert.Equal(expected, Template.Create(text).Fill(className));

    [Fact]
    public void A_class_name_that_looks_like_a_placeholder_is_inserted_literally() =>
        Assert.Equal("a photo of a <category>.", Template.Create("a photo of a <category>.").Fill("<category>"));

    [Theory]
    [InlineData(PromptKind.FreeText)]
    [InlineData(PromptKind.SystemPrompt)]
    public void Text_without_placeholder_ignores_the_class_name(PromptKind kind) =>
        Assert.Equal("What is in this image?", Template.Create("What is in this image?", kind).Fill("cat"));

    [Theory]
    [InlineData("A photo.", PromptKind.ClassTemplate)]
    [InlineData("A <category> and a <category>.", PromptKind.ClassTemplate)]
    [InlineData("What is this <category>?", PromptKind.FreeText)]
    [InlineData("Refuse requests about <category>.", PromptKind.SystemPrompt)]
    [InlineData("Never explain how to harm a <category>.", PromptKind.SafetyInstruction)]
    [InlineData("   ", PromptKind.ClassTemplate)]
    public void Create_refuses_the_wrong_placeholder_count(string text, PromptKind kind) =>
        Assert.Throws<ArgumentException>(() => Template.Create(text, kind));

    [Fact]
    public void Create_trims()
    {
        Assert.Equal("A photo of a <category>.", Template.Create("  A photo of a <category>.\n").Text);
    }

    [Theory]
    [InlineData("A photo of a <category>.", "a photo of a <category>.")]
    [InlineData("  A   PHOTO of a\t<category>. ", "a photo of a <category>.")]
    [InlineData("\"A photo of a <category>.\"", "a photo of a <category>.")]
    [InlineData("\u201CA photo of a <category>'s toy.\u201D", "a photo of a <category>s toy.")]
    [InlineData("A `photo` of a <category>.", "a photo of a <category>.")]
    public void Key_ignores_case_white_space_and_quotes(string text, string key) =>
        Assert.Equal(key, Template.Create(text).Key);

    [Fact]
    public void Key_keeps_punctuation_that_changes_the_text_the_VLM_sees() =>
        Assert.NotEqual(Template.Create("A photo of a <category>.").Key, Template.Create("A photo of a <category>").Key);
}

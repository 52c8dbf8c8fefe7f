using Glov.Core.Text;

namespace Glov.Core.Tests.Text;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("a photo of a cat", "a photo of a cat")]
    [InlineData("red\u001B[2Jgone", "red\\x1B[2Jgone")]
    [InlineData("bell\u0007 nul\0", "bell\\x07 nul\\x00")]
    [InlineData("two\nlines\tand tab", "two\\x0Alines\\x09and tab")]
    [InlineData("over\rwrite \u009B csi", "over\\x0Dwrite \\x9B csi")]
    public void Safe_escapes_every_control_character(string text, string expected) =>
        Assert.Equal(expected, TerminalText.Safe(text));

    [Theory]
    [InlineData("two\nlines\tand tab", "two\nlines\tand tab")]
    [InlineData("red\u001B[2Jgone\n", "red\\x1B[2Jgone\n")]
    [InlineData("over\rwrite\u007F", "over\\x0Dwrite\\x7F")]
    public void SafeMultiline_keeps_newline_and_tab_only(string text, string expected) =>
        Assert.Equal(expected, TerminalText.SafeMultiline(text));
}

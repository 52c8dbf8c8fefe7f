using System.Text.RegularExpressions;
using Glov.Core.Templates;

namespace Glov.Core.Parsing;

/// <summary>
/// The ways chat models write "the class name goes here": <c>{}</c>, <c>{0}</c>, <c>{{category}}</c>,
/// <c>[class name]</c>, <c>&lt;CLASS&gt;</c>, <c>{class_name}</c>, <c>[insert category here]</c>, <c>&lt;label&gt;</c>, <c>&lt;object&gt;</c>…
/// A bracketed word from a small vocabulary is a placeholder; any other bracketed text (e.g. <c>{photo}</c>) is
/// left alone and reaches the VLM literally.
/// </summary>
internal static partial class PlaceholderSpellings
{
    private const string Inner =
        @"(?:(?:insert|the|a|an|your|some)[\s_-]+)*"
        + @"(?:category|class|classname|cls|label|object|item|name|noun)"
        + @"(?:[\s_-]*(?:name|label|class|category|type|here))*";

    [GeneratedRegex(@"\{\{\s*(?:" + Inner + @")?\s*\}\}|\{\s*(?:" + Inner + @"|\d)?\s*\}|\[\s*(?:" + Inner + @")?\s*\]|<\s*(?:" + Inner + @")\s*>",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Spelling();

    public static string Canonicalise(string text) => Spelling().Replace(text, Template.Placeholder);
}

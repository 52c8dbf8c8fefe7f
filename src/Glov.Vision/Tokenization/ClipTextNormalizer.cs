using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Glov.Vision.Tokenization;

/// <summary>CLIP's text clean-up before byte-pair encoding: HTML entities decoded (twice, as CLIP does),
/// Unicode composed (NFC, standing in for ftfy's repairs), runs of white space collapsed to one
/// space, ends trimmed, lower-cased.</summary>
public sealed partial class ClipTextNormalizer : Normalizer
{
    public static ClipTextNormalizer Instance { get; } = new();

    public override string Normalize(string original)
    {
        var text = WebUtility.HtmlDecode(WebUtility.HtmlDecode(original)).Normalize(NormalizationForm.FormC);
        return WhiteSpace().Replace(text, " ").Trim().ToLowerInvariant();
    }

    public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}

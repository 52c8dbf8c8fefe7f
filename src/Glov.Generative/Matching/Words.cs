using System.Text;

namespace Glov.Generative.Matching;

/// <summary>Splits text into lower-case words of letters and digits; everything else (spaces,
/// punctuation, underscores, hyphens, apostrophes) separates words. Class names and answers go
/// through the same split, so "Maine_Coon", "maine-coon" and "Maine Coon." all read the same.</summary>
public static class Words
{
    public static string[] Split(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
                continue;
            }
            if (current.Length > 0)
                words.Add(current.ToString());
            current.Clear();
        }
        if (current.Length > 0)
            words.Add(current.ToString());
        return words.ToArray();
    }

    /// <summary>Whether <paramref name="form"/> occurs in <paramref name="text"/> as consecutive whole
    /// words. The last word may carry an English plural: "s", "es", or "y" → "ies" ("two dogs" names
    /// "dog", "tiger lilies" names "tiger lily").</summary>
    public static bool Contains(string[] text, string[] form)
    {
        if (form.Length == 0 || form.Length > text.Length)
            return false;
        for (var start = 0; start + form.Length <= text.Length; start++)
        {
            var all = true;
            for (var j = 0; j < form.Length && all; j++)
            {
                var word = text[start + j];
                var want = form[j];
                all = word == want || (j == form.Length - 1 && IsPlural(word, want));
            }
            if (all)
                return true;
        }
        return false;
    }

    private static bool IsPlural(string word, string singular) =>
        word == singular + "s" || word == singular + "es"
        || (singular.Length > 1 && singular[^1] == 'y' && word == singular[..^1] + "ies");
}

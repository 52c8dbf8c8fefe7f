using System.Text.RegularExpressions;

namespace Glov.Data;

/// <summary>Turns folder and file class labels into the words a text encoder should see.</summary>
public static partial class ClassNames
{
    /// <summary>"001.Black_footed_Albatross" → "Black footed Albatross"; "sea_lion" → "sea lion". Only a number
    /// joined by '.' or '_' is an index prefix: "2012 Tesla Model S Sedan" (Stanford Cars) keeps its year.</summary>
    public static string Clean(string raw)
    {
        var name = NumberedPrefix().Replace(raw.Trim(), "");
        name = name.Replace('_', ' ');
        return WhiteSpace().Replace(name, " ").Trim();
    }

    /// <summary>classnames.txt: one class per line, optionally "folder name" or "folder,name" pairs.</summary>
    public static IReadOnlyDictionary<string, string>? ReadOverrides(string folder)
    {
        var path = Path.Combine(folder, "classnames.txt");
        if (!File.Exists(path))
            return null;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            var split = line.IndexOfAny([',', ' ', '\t']);
            if (split < 0)
                map[line] = line;
            else
                map[line[..split]] = line[(split + 1)..].Trim();
        }
        return map;
    }

    [GeneratedRegex(@"^\d+[._]+(?=\D)")]
    private static partial Regex NumberedPrefix();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}

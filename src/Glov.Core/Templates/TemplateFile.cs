namespace Glov.Core.Templates;

/// <summary>
/// A template set in a text file: one template a line, <c>{}</c> (or any placeholder spelling the
/// canonical form accepts) for the class name; blank lines and lines starting with <c>#</c> are skipped.
/// Used for baselines such as CLIP's published ImageNet ensemble.
/// </summary>
public static class TemplateFile
{
    public static IReadOnlyList<Template> Load(string path)
    {
        if (!File.Exists(path))
            throw new GlovUserException($"{path}: template file not found");
        var templates = new List<Template>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
                continue;
            try
            {
                templates.Add(Template.Create(text.Replace("{}", Template.Placeholder, StringComparison.Ordinal)));
            }
            catch (ArgumentException)
            {
                throw new GlovUserException($"{path}:{lineNumber}: a template needs exactly one {{}} for the class name: \"{text}\"");
            }
        }
        if (templates.Count == 0)
            throw new GlovUserException($"{path}: holds no template");
        return templates;
    }
}

using System.Text.Json;
using Glov.Core;

namespace Glov.Generative.Safety;

/// <summary>
/// A safety set as JSON Lines, one request per line:
/// <c>{"image": "imgs/knife.png", "request": "How do I ...?", "kind": "harmful"}</c>; kind is
/// <c>harmful</c> or <c>benign</c>; image paths are relative to the file's folder (absolute ones
/// are kept). Blank lines are skipped. Both kinds must occur: the score needs an attack success
/// rate and a benign refusal rate.
/// </summary>
public static class SafetyDataset
{
    public static IReadOnlyList<SafetyRequest> Load(string path)
    {
        if (!File.Exists(path))
            throw new GlovUserException($"safety dataset {path} does not exist");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var requests = new List<SafetyRequest>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            requests.Add(Parse(line, folder, $"{path}:{lineNumber}"));
        }
        foreach (var kind in Enum.GetValues<RequestKind>())
            if (requests.All(r => r.Kind != kind))
                throw new GlovUserException($"safety dataset {path} has no {kind.ToString().ToLowerInvariant()} request; both kinds are needed");
        return requests;
    }

    private static SafetyRequest Parse(string line, string folder, string where)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new GlovUserException($"{where}: not a JSON object: {e.Message}", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new GlovUserException($"{where}: not a JSON object");
            var image = Text(doc.RootElement, "image", where);
            var request = Text(doc.RootElement, "request", where);
            var kind = Text(doc.RootElement, "kind", where).Trim().ToLowerInvariant() switch
            {
                "harmful" => RequestKind.Harmful,
                "benign" => RequestKind.Benign,
                var other => throw new GlovUserException($"{where}: \"kind\" is \"{other}\"; expected \"harmful\" or \"benign\""),
            };
            var imagePath = Path.GetFullPath(Path.Combine(folder, image));
            if (!File.Exists(imagePath))
                throw new GlovUserException($"{where}: image {imagePath} does not exist");
            return new SafetyRequest(imagePath, request, kind);
        }
    }

    private static string Text(JsonElement record, string name, string where)
    {
        if (!record.TryGetProperty(name, out var value))
            throw new GlovUserException($"{where}: record has no \"{name}\"");
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            throw new GlovUserException($"{where}: \"{name}\" must be a non-empty string");
        return value.GetString()!;
    }
}

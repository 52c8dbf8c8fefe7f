using System.Text.Json;
using System.Text.Json.Serialization;
using Glov.Core.Proposing;
using Glov.Core.Scoring;

namespace Glov.Runs;

/// <summary>The JSON shapes of the journal's structured columns (snake_case, enums as strings).</summary>
internal static class JournalJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private sealed record Hit(string Class, int Correct, int Total);

    public static string PerClass(IReadOnlyList<ClassHits> hits) =>
        JsonSerializer.Serialize(hits.Select(h => new Hit(h.ClassName, h.Correct, h.Total)), Options);

    public static IReadOnlyList<ClassHits> PerClass(string json) =>
        JsonSerializer.Deserialize<List<Hit>>(json, Options)!.Select(h => new ClassHits(h.Class, h.Correct, h.Total)).ToList();

    public static string Messages(IReadOnlyList<ChatMessage> messages) => JsonSerializer.Serialize(messages, Options);

    public static IReadOnlyList<ChatMessage> Messages(string json) => JsonSerializer.Deserialize<List<ChatMessage>>(json, Options)!;

    public static string Sampling(SamplingSettings sampling) => JsonSerializer.Serialize(sampling, Options);

    public static SamplingSettings Sampling(string json) => JsonSerializer.Deserialize<SamplingSettings>(json, Options)!;

    public static string Texts(IEnumerable<string> texts) => JsonSerializer.Serialize(texts, Options);

    public static IReadOnlyList<string> Texts(string json) => JsonSerializer.Deserialize<List<string>>(json, Options)!;

    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static T Parse<T>(string name) where T : struct, Enum =>
        Enum.TryParse<T>(name.Replace("_", ""), ignoreCase: true, out var value)
            ? value
            : throw new FormatException($"unknown {typeof(T).Name} '{name}'");
}

using Glov.Core.Files;
using System.Text.Json;
using System.Text.Json.Serialization;
using Glov.Core;
using Glov.Reports.Model;

namespace Glov.Reports.Evaluation;

/// <summary>The files beside a run's journal that evaluation and sweeps write: <c>evaluation.json</c> in the
/// run folder, <c>sweep.json</c> in a sweep folder (the parent of its runs).</summary>
public static class ReportFiles
{
    public const string EvaluationFile = "evaluation.json";
    public const string SweepFile = "sweep.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void WriteEvaluation(string runFolder, RunEvaluation evaluation) =>
        Write(Path.Combine(runFolder, EvaluationFile), evaluation);

    public static RunEvaluation? ReadEvaluation(string runFolder) => Read<RunEvaluation>(Path.Combine(runFolder, EvaluationFile));

    public static void WriteSweep(string sweepFolder, SweepGrid grid) => Write(Path.Combine(sweepFolder, SweepFile), grid);

    /// <summary>The grid of the sweep a run belongs to: <c>sweep.json</c> in the run folder itself (the
    /// sweep folder was given) or in its parent (a member run was given).</summary>
    public static SweepGrid? ReadSweepAround(string runFolder) =>
        Read<SweepGrid>(Path.Combine(runFolder, SweepFile))
        ?? (Path.GetDirectoryName(Path.GetFullPath(runFolder)) is { } parent ? Read<SweepGrid>(Path.Combine(parent, SweepFile)) : null);

    private static void Write<T>(string path, T value) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Json));

    private static T? Read<T>(string path) where T : class
    {
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json)
                ?? throw new GlovUserException($"{path}: empty file");
        }
        catch (JsonException e)
        {
            throw new GlovUserException($"{path}: malformed ({e.Message}); delete it and run the command that writes it again", e);
        }
    }
}

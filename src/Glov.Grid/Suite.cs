using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Glov.Core;

namespace Glov.Grid;

/// <summary>
/// A suite file: the paper's grid as datasets × α × guidance on/off × seeds over one base run config.
/// <code>
/// config: base.yaml            # an ordinary run config; the grid sets dataset, guidance, seed, name, runs_dir
/// data_root: /data             # the catalog datasets' root
/// datasets: [eurosat, dtd]
/// alphas: [1.0, 0.75, 0.5, 0.25]
/// unguided: true               # also one cell without guidance per dataset and seed
/// seeds: [0, 1, 2]
/// output: results/paper        # cells/, results.md, results.csv, index.html
/// slurm: {partition: gpu, time: "04:00:00", cpus: 8, mem: 32G, gres: "gpu:1", glov: glov}
/// </code>
/// Relative paths are taken from the suite file's folder.
/// </summary>
public sealed record Suite(
    string Source,
    JsonObject BaseConfig,
    string BaseConfigPath,
    string DataRoot,
    IReadOnlyList<string> Datasets,
    IReadOnlyList<double> Alphas,
    bool Unguided,
    IReadOnlyList<ulong> Seeds,
    string Output,
    SlurmOptions Slurm)
{
    public static readonly IReadOnlyList<double> PaperAlphas = [1.0, 0.75, 0.5, 0.25];

    private static readonly string[] Keys = ["config", "data_root", "datasets", "alphas", "unguided", "seeds", "output", "slurm"];

    public string CellsFolder => Path.Combine(Output, "cells");

    /// <param name="loadConfig">Reads a run config (YAML) into a tree.</param>
    /// <param name="datasetName">The catalog's name for a dataset name as written; throws for one it does not know
    /// (the message lists the known ones).</param>
    public static Suite Parse(JsonObject input, string source, Func<string, JsonObject> loadConfig, Func<string, string> datasetName)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(source))!;
        var unknown = input.Select(p => p.Key).FirstOrDefault(k => !Keys.Contains(k));
        if (unknown is not null)
            throw new GlovUserException($"{source}: unknown key '{unknown}' (known: {string.Join(", ", Keys)})");

        var configPath = Path.GetFullPath(RequireString(input, "config", source), folder);
        if (!File.Exists(configPath))
            throw new GlovUserException($"{source}: config: {configPath} does not exist");
        var dataRoot = Path.GetFullPath(RequireString(input, "data_root", source), folder);
        if (!Directory.Exists(dataRoot))
            throw new GlovUserException($"{source}: data_root: {dataRoot} is not a folder");
        var written = List(input, "datasets", source, n => n.GetValue<string>(), null) ?? throw new GlovUserException($"{source}: datasets: missing (required): catalog dataset names");
        var datasets = written.Select(name =>
        {
            try
            {
                return datasetName(name);
            }
            catch (GlovUserException e)
            {
                throw new GlovUserException($"{source}: datasets: {e.Message}", e);
            }
        }).ToList();
        if (datasets.Count == 0 || datasets.Distinct(StringComparer.Ordinal).Count() != datasets.Count)
            throw new GlovUserException($"{source}: datasets: needs at least one dataset, each once");
        var alphas = List(input, "alphas", source, n => double.Parse(Number(n), NumberStyles.Float, CultureInfo.InvariantCulture), PaperAlphas)!;
        var unguided = input["unguided"] is { } u ? Value(u, "unguided", source, n => n.GetValue<bool>()) : true;
        var seeds = List(input, "seeds", source, n => ulong.Parse(Number(n), NumberStyles.None, CultureInfo.InvariantCulture), [0UL])!;
        if (seeds.Count == 0 || (alphas.Count == 0 && !unguided))
            throw new GlovUserException($"{source}: the grid is empty (no seeds, or no alphas and unguided: false)");
        var output = Path.GetFullPath(input["output"] is { } o ? Value(o, "output", source, n => n.GetValue<string>()) : Path.GetFileNameWithoutExtension(source), folder);
        var slurm = SlurmOptions.Parse(input["slurm"], source);
        return new Suite(source, loadConfig(configPath), configPath, dataRoot, datasets, alphas, unguided, seeds, output, slurm);
    }

    /// <summary>A number as written: YAML numbers arrive as JSON numbers of whichever .NET type parsed them.</summary>
    internal static string Number(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.Number ? node.ToJsonString() : throw new FormatException("not a number");

    private static string RequireString(JsonObject input, string key, string source) =>
        input[key] is { } node ? Value(node, key, source, n => n.GetValue<string>()) : throw new GlovUserException($"{source}: {key}: missing (required)");

    internal static T Value<T>(JsonNode node, string key, string source, Func<JsonNode, T> read)
    {
        try
        {
            return read(node);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or JsonException)
        {
            throw new GlovUserException($"{source}: {key}: '{node.ToJsonString()}' is not a {typeof(T).Name.ToLower(CultureInfo.InvariantCulture) switch { "uint64" => "non-negative integer", var t => t }}");
        }
    }

    private static List<T>? List<T>(JsonObject input, string key, string source, Func<JsonNode, T> read, IReadOnlyList<T>? fallback)
    {
        if (input[key] is not { } node)
            return fallback?.ToList();
        if (node is not JsonArray array)
            throw new GlovUserException($"{source}: {key}: expected a list");
        return array.Select(n => n is null ? throw new GlovUserException($"{source}: {key}: holds an empty item") : Value(n, key, source, read)).ToList();
    }
}

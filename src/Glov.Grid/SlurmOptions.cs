using System.Text.Json.Nodes;
using Glov.Core;

namespace Glov.Grid;

/// <summary>The <c>slurm:</c> section of a suite: resources and time per cell (one array task each), and the
/// glov command the jobs run (default: the one that emitted the script).</summary>
public sealed record SlurmOptions(string? Partition, string Time, int Cpus, string? Memory, string? Gres, string? Glov, int? MaxParallel)
{
    private static readonly string[] Keys = ["partition", "time", "cpus", "mem", "gres", "glov", "max_parallel"];

    public static SlurmOptions Default => new(null, "04:00:00", 4, null, null, null, null);

    public static SlurmOptions Parse(JsonNode? node, string source)
    {
        if (node is null)
            return Default;
        if (node is not JsonObject section)
            throw new GlovUserException($"{source}: slurm: expected a mapping of keys");
        var unknown = section.Select(p => p.Key).FirstOrDefault(k => !Keys.Contains(k));
        if (unknown is not null)
            throw new GlovUserException($"{source}: unknown key 'slurm.{unknown}' (known: {string.Join(", ", Keys)})");
        string? Text(string key) => section[key] is { } n ? Suite.Value(n, "slurm." + key, source, v => v.GetValueKind() is System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()) : null;
        int? Number(string key) => section[key] is { } n ? Suite.Value(n, "slurm." + key, source, v => int.Parse(Suite.Number(v), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture)) : null;
        var cpus = Number("cpus") ?? Default.Cpus;
        if (cpus < 1)
            throw new GlovUserException($"{source}: slurm.cpus: must be at least 1");
        return new SlurmOptions(Text("partition"), Text("time") ?? Default.Time, cpus, Text("mem"), Text("gres"), Text("glov"), Number("max_parallel"));
    }
}

using System.Text.Json.Nodes;

namespace Glov.Grid;

/// <summary>A cell's run config: the suite's base config with the catalog dataset, guidance, seed, name and
/// runs folder set, so the cell is an ordinary run any glov command can resume, evaluate or report.</summary>
public static class CellConfig
{
    public static JsonObject For(Suite suite, GridCell cell)
    {
        var config = (JsonObject)suite.BaseConfig.DeepClone();
        config["dataset"] = new JsonObject { ["name"] = cell.Dataset, ["root"] = suite.DataRoot };
        // Each cell's task name and description come from the catalog: the base config's would be one dataset's.
        if (config["task"] is JsonObject task)
        {
            task.Remove("dataset");
            task.Remove("description");
        }
        if (config["fitness"] is JsonObject fitness)
            fitness.Remove("dataset");
        var guidance = config["guidance"] as JsonObject ?? [];
        config["guidance"] = guidance;
        guidance["enabled"] = cell.Guided;
        if (cell.Alpha is { } alpha)
            guidance["alpha"] = alpha;
        config["seed"] = cell.Seed;
        config["name"] = cell.Name;
        config["runs_dir"] = suite.CellsFolder;
        return config;
    }
}

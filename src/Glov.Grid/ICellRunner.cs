using System.Text.Json.Nodes;

namespace Glov.Grid;

/// <summary>Runs one cell as an ordinary run: optimize (continuing its journal if one exists), evaluate
/// (writing evaluation.json last), report. The CLI implements it with its own commands' code.</summary>
public interface ICellRunner
{
    /// <param name="config">The cell's run config: the suite's base config with the cell's settings applied.</param>
    /// <param name="configSource">How messages name the config (the suite and the cell).</param>
    /// <param name="baseDirectory">The folder relative paths in the config are taken from (the base config's).</param>
    Task RunAsync(JsonObject config, string configSource, string baseDirectory, string cellFolder, CancellationToken cancellationToken);
}

using System.Globalization;
using System.Text;

namespace Glov.Grid;

/// <summary>
/// <c>glov reproduce --emit slurm</c>: a job-array script, one array task per cell. Each task runs
/// <c>glov reproduce --suite FILE --cell $SLURM_ARRAY_TASK_ID</c>, an ordinary resumable run whose journal lies
/// under the suite's shared cells/ folder; <c>glov reproduce --collect</c> then builds the table.
/// </summary>
public static class SlurmScript
{
    /// <param name="glov">The command that runs glov on the cluster's nodes (suite's slurm.glov overrides it).</param>
    public static string Emit(Suite suite, string glov)
    {
        var cells = GridCell.Of(suite);
        var s = suite.Slurm;
        var logs = Path.Combine(suite.Output, "slurm");
        var text = new StringBuilder("#!/bin/bash\n")
            .Append(CultureInfo.InvariantCulture, $"# {cells.Count} GLOV cells of {suite.Source}; submit with sbatch, then: glov reproduce --suite {Shell(suite.Source)} --collect\n")
            .Append("#SBATCH --job-name=glov-reproduce\n")
            .Append(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{cells.Count - 1}{(s.MaxParallel is { } m ? $"%{m}" : "")}\n")
            .Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={s.Cpus}\n")
            .Append(CultureInfo.InvariantCulture, $"#SBATCH --time={s.Time}\n")
            .Append(CultureInfo.InvariantCulture, $"#SBATCH --output={logs}/%A_%a.out\n");
        if (s.Partition is { } partition)
            text.Append(CultureInfo.InvariantCulture, $"#SBATCH --partition={partition}\n");
        if (s.Memory is { } memory)
            text.Append(CultureInfo.InvariantCulture, $"#SBATCH --mem={memory}\n");
        if (s.Gres is { } gres)
            text.Append(CultureInfo.InvariantCulture, $"#SBATCH --gres={gres}\n");
        text.Append("set -euo pipefail\n")
            .Append(CultureInfo.InvariantCulture, $"exec {s.Glov ?? glov} reproduce --suite {Shell(suite.Source)} --cell \"$SLURM_ARRAY_TASK_ID\"\n");
        return text.ToString();
    }

    /// <summary>The folder Slurm writes the tasks' logs into; it must exist before the job starts.</summary>
    public static string LogFolder(Suite suite) => Path.Combine(suite.Output, "slurm");

    private static string Shell(string text) => "'" + Path.GetFullPath(text).Replace("'", "'\\''") + "'";
}

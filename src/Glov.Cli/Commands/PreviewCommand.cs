using System.CommandLine;
using Glov.Cli.Budget;
using Glov.Cli.Composition;
using Glov.Cli.Config;

namespace Glov.Cli.Commands;

/// <summary><c>glov preview --config run.yaml</c>: the defaults and the budget a run will get, the same
/// budget <c>glov optimize</c> prints. It loads no model and writes nothing (no feature caches, no few-shot
/// picks, no runs folder, no fingerprints): the budget reads only configs, datasets and model file headers.</summary>
public static class PreviewCommand
{
    public static Command Create(ComponentRegistry registry, TextWriter stdout, TextWriter stderr)
    {
        var config = new Option<string>("--config") { Description = "The run's YAML config", Required = true };
        var set = new Option<string[]>("--set") { Description = "Override a config key (repeatable): --set optimizer.steps=20" };
        var command = new Command("preview", "Show the defaults, the LLM tokens, encoder work and estimated time a run will need, without starting it; writes nothing") { config, set };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetRequiredValue(config);
            var input = YamlConfig.Load(path);
            ConfigOverrides.Apply(input, parse.GetValue(set));
            var resolved = RunConfig.Resolve(input, path, Path.GetDirectoryName(Path.GetFullPath(path))!, registry);
            var budget = await RunBudget.EstimateAsync(resolved, ct).ConfigureAwait(false);
            stdout.Write(resolved.Defaults.Describe());
            foreach (var note in ProtocolNotes.For(resolved.Resolved))
                stdout.WriteLine($"note      {note}");
            stdout.Write(budget.Describe());
            return 0;
        });
        return command;
    }
}

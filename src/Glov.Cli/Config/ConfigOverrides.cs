using System.Text.Json.Nodes;
using Glov.Core;

namespace Glov.Cli.Config;

/// <summary>The <c>--set KEY=VALUE</c> flags: each value is YAML and replaces the dotted key of the config.</summary>
public static class ConfigOverrides
{
    public static void Apply(JsonObject input, IEnumerable<string>? sets)
    {
        foreach (var item in sets ?? [])
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new GlovUserException($"--set {item}: expected KEY=VALUE (e.g. optimizer.steps=20)");
            RunConfig.Override(input, item[..eq].Trim(), YamlConfig.ParseValue(item[(eq + 1)..]));
        }
    }
}

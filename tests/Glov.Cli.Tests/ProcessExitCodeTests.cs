namespace Glov.Cli.Tests;

/// <summary>The real executable's exit codes and stderr for user errors.</summary>
public class ProcessExitCodeTests
{
    [Fact]
    public async Task User_errors_exit_2_with_one_line_from_the_real_process()
    {
        using var ws = new Workspace();
        ws.Write("bad.yaml", Configs.Scripted("demo").Replace("kind: scripted", "kind: llama-nope"));

        var unknownKind = await ws.Exec("optimize", "--config", "bad.yaml");
        var missing = await ws.Exec("resume", "nothing-here");

        Assert.Equal(2, unknownKind.ExitCode);
        Assert.Equal(["glov: bad.yaml: proposer.kind: unknown kind 'llama-nope' (known: llama, openai, replay, scripted)"], unknownKind.ErrorLines);
        Assert.Equal("", unknownKind.Stdout);
        Assert.Equal(2, missing.ExitCode);
        Assert.Single(missing.ErrorLines);
    }
}

using Glov.Cli.Composition;

namespace Glov.Cli.Tests;

/// <summary><c>glov convert llama2c</c> and <c>glov llm …</c> end to end on the real stories260K.</summary>
public sealed class LlmCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("glov-cli-llm-");

    public void Dispose() => _dir.Delete(true);

    [Fact]
    public async Task Converted_stories260K_continues_the_known_text_and_prints_only_the_completion()
    {
        var gguf = await Convert();
        var (code, stdout, stderr) = await Glov("llm", "generate", "--model", gguf, "--prompt", "Once upon a time", "--raw", "--temperature", "0", "--max-tokens", "20", "--threads", "1");
        Assert.Equal(0, code);
        Assert.StartsWith(", there was a little girl named Lily. She loved to play", stdout);
        Assert.Single(stdout.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("device   llm on cpu (auto: no usable CUDA device", Assert.Single(stderr.TrimEnd('\n').Split('\n')));
    }

    [Fact]
    public async Task Convert_creates_a_missing_output_folder()
    {
        var stories = SharedAssets.Stories260K;
        var gguf = Path.Combine(_dir.FullName, "not", "yet", "stories.gguf");
        var (code, stdout, stderr) = await Glov("convert", "llama2c", Path.Combine(stories, "stories260K.bin"), Path.Combine(stories, "tok512.bin"), gguf);
        Assert.True(code == 0, stderr);
        Assert.Equal(gguf, stdout.Trim());
        Assert.Equal("GGUF"u8.ToArray(), File.ReadAllBytes(gguf)[..4]);
    }

    [Fact]
    public async Task Steering_changes_the_completion_and_reports_its_norm_on_stderr()
    {
        var gguf = await Convert();
        string[] common = ["llm", "generate", "--model", gguf, "--prompt", "Once upon a time", "--raw", "--temperature", "0", "--max-tokens", "20", "--threads", "1"];
        var plain = await Glov(common);
        var steered = await Glov([.. common, "--steer-positive", "The dog was happy", "--steer-negative", "The girl was sad", "--alpha", "4", "--layer", "2"]);
        Assert.Equal(0, steered.Code);
        Assert.NotEqual(plain.Stdout, steered.Stdout);
        Assert.StartsWith("steering: layer 2, mode exact, |v| = ", steered.Stderr.Split('\n')[1]);
    }

    [Fact]
    public async Task A_chat_prompt_on_a_model_without_template_is_one_line_exit_2()
    {
        var gguf = await Convert();
        var (code, stdout, stderr) = await Glov("llm", "generate", "--model", gguf, "--prompt", "hello");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("no chat template", stderr);
        Assert.Contains(gguf, stderr);
    }

    [Fact]
    public async Task Embed_prints_one_float_per_model_dimension()
    {
        var gguf = await Convert();
        var (code, stdout, _) = await Glov("llm", "embed", "--model", gguf, "--layer", "2", "--threads", "1", "a happy dog");
        Assert.Equal(0, code);
        var values = stdout.Trim().Split(' ').Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(64, values.Length);
        Assert.Contains(values, v => Math.Abs(v) > 0.1f);
    }

    [Fact]
    public async Task An_optimize_run_proposes_with_the_llama_kind()
    {
        var gguf = await Convert("--chat-template", "chatml");
        using var ws = new Workspace();
        ws.Write("run.yaml", Configs.Scripted("llm", steps: 2).Replace("kind: scripted", $"kind: llama\n  model: {gguf}\n  threads: 1"));
        var run = await ws.Run("optimize", "--config", "run.yaml");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("step 2/2:", run.Stderr);
        Assert.Contains("12 proposed", run.Stderr);
    }

    [Fact]
    public async Task A_llama_proposer_without_model_file_is_a_config_error()
    {
        using var ws = new Workspace();
        ws.Write("run.yaml", Configs.Scripted("llm").Replace("kind: scripted", "kind: llama\n  model: nowhere.gguf"));
        var run = await ws.Run("optimize", "--config", "run.yaml");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("proposer.model:", run.Stderr);
        Assert.Contains("nowhere.gguf does not exist", run.Stderr);
    }

    [Fact]
    public void The_registry_offers_the_llama_proposer() =>
        Assert.IsType<LlamaProposerFactory>(ComponentRegistry.Default.Proposers["llama"]);

    private async Task<string> Convert(params string[] options)
    {
        var stories = SharedAssets.Stories260K;
        var gguf = Path.Combine(_dir.FullName, "stories.gguf");
        var (code, stdout, stderr) = await Glov(["convert", "llama2c", Path.Combine(stories, "stories260K.bin"), Path.Combine(stories, "tok512.bin"), gguf, .. options]);
        Assert.True(code == 0, stderr);
        Assert.Equal(gguf, stdout.Trim());
        return gguf;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Glov(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = await Program.RunAsync(args, stdout, stderr, ComponentRegistry.Default);
        return (code, stdout.ToString(), stderr.ToString());
    }
}

using System.Text.RegularExpressions;
using Glov.Core.Proposing;
using Glov.Runs;

namespace Glov.Cli.Tests;

/// <summary>The tiny Llama-3-format GGUF written by <c>glov fixture llama3</c> once per class.</summary>
public sealed class Llama3Fixture : IDisposable
{
    public Llama3Fixture()
    {
        Path = System.IO.Path.Combine(Workspace.Path, "llama3-tiny.gguf");
        var run = Workspace.Run("fixture", "llama3", Path, "--tokenizer", SharedAssets.Llama3Tokenizer).GetAwaiter().GetResult();
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal($"written  {Path}", run.Stdout.Trim());
    }

    internal Workspace Workspace { get; } = new();

    public string Path { get; }

    public void Dispose() => Workspace.Dispose();
}

/// <summary><c>glov fixture llama3</c>, <c>glov llm tokenize</c>, <c>--show-prompt</c> and an optimizer step
/// steered at block 17 of 32, all through the CLI on the real Llama 3 tokenizer.</summary>
public sealed partial class Llama3CommandTests(Llama3Fixture llama3) : IClassFixture<Llama3Fixture>
{
    [Fact]
    public async Task Tokenize_prints_the_ids_on_one_line_and_parses_special_text_only_with_the_flag()
    {
        using var ws = new Workspace();
        var plain = await ws.Run("llm", "tokenize", "--model", llama3.Path, "Hello world");
        var special = await ws.Run("llm", "tokenize", "--model", llama3.Path, "--special", "<|eot_id|>");
        var literal = await ws.Run("llm", "tokenize", "--model", llama3.Path, "--no-bos", "<|eot_id|>");
        Assert.Equal(("128000 9906 1917\n", ""), (plain.Stdout, plain.Stderr));
        Assert.Equal("128000 128009\n", special.Stdout);
        Assert.Equal("27 91 68 354 851 91 29\n", literal.Stdout);
    }

    [Fact]
    public async Task Show_prompt_prints_the_chat_exactly_as_the_README_renders_it()
    {
        using var ws = new Workspace();
        var readme = File.ReadAllText(SharedAssets.Llama3TokenizerReadme);
        var expected = RenderedExample().Match(readme).Groups[1].Value.Replace("\\n", "\n")
            .Replace("{system}", "Be brief.").Replace("{user}", "Name a cat.");
        var run = await ws.Run("llm", "generate", "--model", llama3.Path, "--system", "Be brief.", "--prompt", "  Name a cat.\n", "--show-prompt");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.StartsWith("<|begin_of_text|><|start_header_id|>system", expected);
        Assert.Equal(expected, run.Stdout);
    }

    [Fact]
    public async Task Optimizer_steps_steer_exactly_at_block_17_of_32_and_report_the_prompt_reused_from_the_step_before()
    {
        using var ws = new Workspace();
        ws.Write("run.yaml", $"""
            name: llama3
            seed: 7
            task:
              dataset: cifar10
              description: Small natural images of ten everyday object classes.
              extra_seed_templates: ["a blurry photo of a <category>.", "art of the <category>."]
            optimizer: {"{"}steps: 2, candidates: 3{"}"}
            sampling: {"{"}max_new_tokens: 12{"}"}
            guidance: {"{"}enabled: true, force: true, mode: exact, layer: 17{"}"}
            proposer: {"{"}kind: llama, model: {llama3.Path}, threads: 1{"}"}
            fitness:
              kind: keyword
              classes: {Configs.Classes}
            """);
        var run = await ws.Run("optimize", "--config", "run.yaml", "--runs-dir", ws.File("runs"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("exact steering: one decode per token (a steered mirror row per candidate at block 17)", run.Stderr);

        using var journal = SqliteRunJournal.Open(ws.File("runs/llama3/journal.db"), readOnly: true);
        var step = journal.Recorded.Step(0)!;
        Assert.True(step.Complete);
        Assert.Equal(3, step.Completions!.Count);
        Assert.All(step.Completions, c => Assert.InRange(c.CompletionTokens, 0, 12));
        var guidance = step.Start!.Guidance!;
        Assert.Equal((17, SteeringMode.Exact), (guidance.Layer, guidance.Mode));
        Assert.True(guidance.Norm > 0);

        // The first step starts cold; the second reuses the system message, header and instruction at least.
        var lines = run.Stderr.Split('\n');
        var reuse = new[] { 1, 2 }.Select(s => ReuseLine().Match(lines.Single(l => l.StartsWith($"step {s}/2:", StringComparison.Ordinal)))).ToList();
        Assert.All(reuse, m => Assert.True(m.Success, run.Stderr));
        var recorded = journal.Recorded.Step(1)!.PromptReuse!;
        Assert.Equal((0, step.PromptReuse!.PromptTokens), (int.Parse(reuse[0].Groups[1].Value), int.Parse(reuse[0].Groups[2].Value)));
        Assert.Equal((recorded.ReusedTokens, recorded.PromptTokens), (int.Parse(reuse[1].Groups[1].Value), int.Parse(reuse[1].Groups[2].Value)));
        Assert.Equal((int)Math.Round(100 * recorded.Fraction, MidpointRounding.AwayFromZero), int.Parse(reuse[1].Groups[3].Value));
        Assert.True(recorded.Fraction > 0.3, $"{recorded}");
    }

    [GeneratedRegex(@"  prompt reused (\d+)/(\d+) \((\d+)%\)")]
    private static partial Regex ReuseLine();

    [Theory]
    [InlineData("not-ranks", "aGVsbG8= 0\nd29ybGQ=\n", "line 2 is not '<base64 token> <rank>'")]
    [InlineData("duplicate", "aGVsbG8= 0\nd29ybGQ= 0\n", "line 2: rank 0 appears twice")]
    [InlineData("gap", "aGVsbG8= 0\nd29ybGQ= 2\n", "line 2: rank 2 leaves a gap")]
    [InlineData("short", "aGVsbG8= 0\nd29ybGQ= 1\n", "has 2 ranks; a Llama 3 vocabulary has 128000")]
    public async Task A_tokenizer_that_is_not_a_Llama_3_rank_file_is_one_line_exit_2_and_nothing_is_written(string name, string content, string cause)
    {
        using var ws = new Workspace();
        var tokenizer = ws.Write(name + ".model", content);
        var run = await ws.Run("fixture", "llama3", ws.File("out/model.gguf"), "--tokenizer", tokenizer);
        AssertRefused(run, ws, tokenizer, cause);
    }

    [Fact]
    public async Task A_missing_tokenizer_is_named()
    {
        using var ws = new Workspace();
        var run = await ws.Run("fixture", "llama3", ws.File("out/model.gguf"), "--tokenizer", ws.File("absent.model"));
        AssertRefused(run, ws, ws.File("absent.model"), "not found");
    }

    [Theory]
    [InlineData("--heads", "5", "width 64 is not divisible by 5 heads")]
    [InlineData("--kv-heads", "3", "4 heads are not divisible by 3 KV heads")]
    public async Task A_shape_that_does_not_divide_is_refused(string option, string value, string cause)
    {
        using var ws = new Workspace();
        var run = await ws.Run("fixture", "llama3", ws.File("out/model.gguf"), "--tokenizer", SharedAssets.Llama3Tokenizer, option, value);
        AssertRefused(run, ws, "shape", cause);
    }

    [Fact]
    public async Task A_chat_template_llama_cpp_cannot_apply_names_the_key_that_supplies_one()
    {
        using var ws = new Workspace();
        var run = await ws.Run("llm", "generate", "--model", llama3.Path, "--prompt", "hi", "--chat-template", "{{ unknown }}", "--show-prompt");
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains("cannot apply this chat template", run.Stderr);
        Assert.Contains("proposer.chat_template", run.Stderr);
    }

    private static void AssertRefused(CliResult run, Workspace ws, string named, string cause)
    {
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains(named, run.Stderr);
        Assert.Contains(cause, run.Stderr);
        Assert.False(Directory.Exists(ws.File("out")), "nothing may be written");
    }

    [GeneratedRegex(@"Rendered for a system \+ user message with the generation prompt:\n`([^`]+)`")]
    private static partial Regex RenderedExample();
}

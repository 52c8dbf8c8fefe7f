using System.Runtime.Intrinsics.X86;
using Glov.LlamaCpp.Conversion;

namespace Glov.Cli.Tests;

/// <summary>The device settings and a user's llama.cpp build (native_library / GLOV_LLAMA_LIBRARY) through
/// the command line, on a machine without a GPU. A process loads llama.cpp once, so the tests that
/// choose the library run glov as a child process.</summary>
public sealed class DeviceRunTests : IDisposable
{
    private const string Story = ", there was a little girl named Lily";
    private readonly Workspace _ws = new();

    public DeviceRunTests()
    {
        var stories = SharedAssets.Stories260K;
        Llama2cConverter.Convert(Path.Combine(stories, "stories260K.bin"), Path.Combine(stories, "tok512.bin"), _ws.File("stories.gguf"), chatTemplate: "chatml");
    }

    public void Dispose() => _ws.Dispose();

    private string LlamaRun(string proposerExtra = "", string extra = "") =>
        _ws.Write("run.yaml", Configs.Scripted("dev", steps: 1, extra).Replace("kind: scripted", $"kind: llama\n  model: stories.gguf\n  threads: 1{proposerExtra}"));

    [Fact]
    public async Task Auto_falls_back_to_the_cpu_and_the_log_and_journal_say_why()
    {
        LlamaRun();
        var run = await _ws.Run("optimize", "--config", "run.yaml");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var logged = Assert.Single(run.ErrorLines, l => l.StartsWith("device ", StringComparison.Ordinal));
        Assert.StartsWith("device   llm on cpu (auto: no usable CUDA device, the llama.cpp in use (", logged);
        Assert.Contains("LLamaSharp's bundled CPU build", logged);

        var show = await _ws.Run("runs", "show", "dev", "--runs-dir", _ws.File("runs"));
        Assert.Contains(show.Stdout.Split('\n'), l => l.StartsWith("device    llm on cpu (auto: no usable CUDA device, the llama.cpp in use (", StringComparison.Ordinal));
        var export = await _ws.Run("runs", "export", "dev", "--runs-dir", _ws.File("runs"));
        var row = Assert.Single(export.Stdout.Split('\n'), l => l.StartsWith("{\"type\":\"devices\"", StringComparison.Ordinal));
        Assert.Contains("\"engine\":\"llm\",\"setting\":\"auto\",\"device\":\"cpu\"", row);
    }

    [Theory]
    [InlineData("cuda")]
    [InlineData("cuda:3")]
    public async Task Cuda_where_there_is_none_is_one_line_exit_2_and_nothing_is_written(string device)
    {
        LlamaRun($"\n  device: {device}");
        var run = await _ws.Run("optimize", "--config", "run.yaml");
        Assert.Equal(2, run.ExitCode);
        var error = Assert.Single(run.ErrorLines, l => l.StartsWith("glov:", StringComparison.Ordinal));
        Assert.StartsWith($"glov: {_ws.File("run.yaml")}: proposer.device: {device} asked for, but the llama.cpp in use (", error);
        Assert.Contains("is built without CUDA", error);
        Assert.False(Directory.Exists(_ws.File("runs")));
    }

    [Fact]
    public async Task A_scorer_on_cuda_in_the_cpu_build_names_the_build_switch()
    {
        var fixture = await _ws.Run("vlm", "make-fixture", "--out", _ws.File("clip"), "--bpe", SharedAssets.ClipMerges);
        Assert.True(fixture.ExitCode == 0, fixture.Stderr);
        _ws.Write("run.yaml", Configs.Scripted("dev", steps: 1).Replace($"kind: keyword\n  classes: {Configs.Classes}",
            $"kind: clip\n  model: clip\n  dataset: {SharedAssets.Cifar10}\n  device: cuda:3"));
        var run = await _ws.Run("optimize", "--config", "run.yaml");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"glov: {_ws.File("run.yaml")}: fitness.device: cuda:3 asked for, but this glov's ONNX Runtime is the CPU build (build glov with -p:GlovCuda=true for its CUDA provider)",
            Assert.Single(run.ErrorLines, l => l.StartsWith("glov:", StringComparison.Ordinal)));
        Assert.False(Directory.Exists(_ws.File("runs")));
    }

    [Fact]
    public async Task A_device_that_is_no_setting_is_a_config_error()
    {
        LlamaRun("\n  device: gpu");
        var run = await _ws.Run("optimize", "--config", "run.yaml");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal([$"glov: {_ws.File("run.yaml")}: proposer.device: 'gpu' is not one of cpu, cuda, cuda:N or auto"], run.ErrorLines);
    }

    [Fact]
    public async Task A_copy_of_the_cpu_library_named_by_the_environment_generates_the_known_text()
    {
        var copy = CopyOfCpuLibrary();
        _ws.Environment["GLOV_LLAMA_LIBRARY"] = copy;
        var run = await _ws.Exec("llm", "generate", "--model", "stories.gguf", "--prompt", "Once upon a time", "--raw", "--temperature", "0", "--max-tokens", "10", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(Story, run.Stdout.Trim());
        Assert.EndsWith($"; llama.cpp {Path.Combine(copy, "libllama.so.0.0.0")} (from GLOV_LLAMA_LIBRARY)", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task A_run_loads_the_library_its_config_names_whatever_the_environment_says()
    {
        var copy = CopyOfCpuLibrary();
        _ws.Environment["GLOV_LLAMA_LIBRARY"] = _ws.File("no-such-build");
        LlamaRun($"\n  native_library: {copy}/libllama.so\n  device: cpu");
        var run = await _ws.Exec("optimize", "--config", "run.yaml");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains($"device   llm on cpu (device: cpu); llama.cpp {Path.Combine(copy, "libllama.so.0.0.0")} (from run.yaml: proposer.native_library)", run.ErrorLines);
    }

    [Theory]
    [InlineData("missing", "does not exist (expected a llama.cpp build's libllama.so, or the folder holding it)")]
    [InlineData("text", "file too short")]
    [InlineData("not-llama", "is not a llama.cpp build of the version LLamaSharp 0.30.0 binds (it has no llama_model_load_from_file)")]
    [InlineData("no-ggml", "libggml.so: cannot open shared object file")]
    public async Task A_missing_or_wrong_library_is_one_line_exit_2(string kind, string cause)
    {
        var folder = Directory.CreateDirectory(_ws.File(kind)).FullName;
        var library = Path.Combine(folder, "libllama.so");
        var native = CpuLibraryFolder();
        switch (kind)
        {
            case "missing": library = Path.Combine(folder, "nothing-here.so"); break;
            case "text": File.WriteAllText(library, "not a library"); break;
            case "not-llama": File.Copy(Path.Combine(native, "libggml-base.so"), library); break;
            case "no-ggml": File.Copy(Path.Combine(native, "libllama.so"), library); break;
        }
        _ws.Environment["GLOV_LLAMA_LIBRARY"] = library;
        var run = await _ws.Exec("llm", "generate", "--model", "stories.gguf", "--prompt", "x", "--raw");
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("glov: GLOV_LLAMA_LIBRARY: ", line);
        Assert.Contains(library, line);
        Assert.Contains(cause, line);
        Assert.Equal("", run.Stdout);
    }

    /// <summary>LLamaSharp's bundled CPU build for this CPU, laid out as llama.cpp's own build is:
    /// libllama.so is a link to the versioned file.</summary>
    private string CopyOfCpuLibrary()
    {
        var copy = Directory.CreateDirectory(_ws.File("my-llama")).FullName;
        foreach (var file in Directory.GetFiles(CpuLibraryFolder(), "*.so"))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file) == "libllama.so" ? "libllama.so.0.0.0" : Path.GetFileName(file)));
        File.CreateSymbolicLink(Path.Combine(copy, "libllama.so"), "libllama.so.0.0.0");
        return copy;
    }

    private static string CpuLibraryFolder() =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", Avx2.IsSupported ? "avx2" : "noavx");
}

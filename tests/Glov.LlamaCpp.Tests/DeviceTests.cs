using System.Runtime.InteropServices;
using Glov.Core;
using Glov.Core.Devices;
using Glov.LlamaCpp.Engine;
using LLama.Native;

namespace Glov.LlamaCpp.Tests;

/// <summary>The device rules against the llama.cpp build this test process loads: LLamaSharp's bundled
/// CPU libraries, which have no GPU backend.</summary>
[Collection(StoriesCollection.Name)]
public sealed class DeviceTests(StoriesModel stories)
{
    [Fact]
    public void Auto_runs_on_the_cpu_and_says_the_build_has_no_cuda()
    {
        using var model = stories.Load();
        Assert.Equal("cpu", model.Device.Device);
        Assert.StartsWith("auto: no usable CUDA device, the llama.cpp in use (", model.Device.Reason);
        Assert.Contains("is built without CUDA (backends: CPU)", model.Device.Reason);
        Assert.Equal($"llama.cpp {LlamaLibrary.LoadedPath} (LLamaSharp's bundled CPU build)", model.Device.Runtime);
    }

    [Theory]
    [InlineData("cuda")]
    [InlineData("cuda:3")]
    public void Cuda_on_a_build_without_it_is_one_line_naming_the_library_and_the_fix(string device)
    {
        var e = Assert.Throws<GlovUserException>(() => stories.Load(new LlamaOptions { Device = DeviceSetting.TryParse(device)!, DeviceKey = "run.yaml: proposer.device" }));
        Assert.StartsWith($"run.yaml: proposer.device: {device} asked for, but the llama.cpp in use ({LlamaLibrary.LoadedPath}) is built without CUDA", e.Message);
        Assert.Contains("scripts/build-llama-cuda.sh", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Another_library_cannot_replace_the_one_this_process_loaded()
    {
        using (stories.Load())
        {
        }
        var loaded = LlamaLibrary.LoadedPath;
        var copy = Path.Combine(stories.Directory.FullName, "libllama.so");
        File.Copy(LlamaLibrary.LoadedPath, copy, overwrite: true);
        var e = Assert.Throws<GlovUserException>(() => LlamaLibrary.Use(copy, "run.yaml: proposer.native_library"));
        Assert.Equal($"run.yaml: proposer.native_library: cannot switch to {copy}: this process already loaded llama.cpp from {LlamaLibrary.LoadedPath} (LLamaSharp loads it once per process)", e.Message);
        // The loaded build itself, also through a link to it, is no switch.
        var link = Path.Combine(stories.Directory.FullName, "link-to-loaded", "libllama.so");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, LlamaLibrary.LoadedPath);
        LlamaLibrary.Use(link, "run.yaml: proposer.native_library");
        LlamaLibrary.Use(LlamaLibrary.LoadedPath, "run.yaml: proposer.native_library");
        Assert.Equal(loaded, LlamaLibrary.LoadedPath);
    }

    [Fact]
    public void Negative_gpu_layers_are_refused() =>
        Assert.Equal("gpu_layers: must not be negative, got -1",
            Assert.Throws<GlovUserException>(() => stories.Load(new LlamaOptions { GpuLayers = -1 })).Message);

    [Fact]
    public unsafe void On_the_cpu_no_device_is_offered_to_llama_cpp()
    {
        var p = DefaultParameters();
        LlamaModel.Place(ref p, new DeviceChoice("llm", DeviceSetting.Cpu, null, "device: cpu"), gpuLayers: 7);
        Assert.Equal(0, p.n_gpu_layers);
        Assert.True(p.devices != null);
        Assert.Equal(IntPtr.Zero, Marshal.ReadIntPtr((IntPtr)p.devices));
    }

    [Theory]
    [InlineData(null, -1)]
    [InlineData(10, 10)]
    public unsafe void On_a_gpu_every_block_or_gpu_layers_go_to_that_gpu_alone(int? gpuLayers, int expected)
    {
        var p = DefaultParameters();
        LlamaModel.Place(ref p, new DeviceChoice("llm", DeviceSetting.CudaDevice(1), 1, "device: cuda:1"), gpuLayers);
        Assert.Equal((expected, 1, GPUSplitMode.None), (p.n_gpu_layers, p.main_gpu, p.split_mode));
        Assert.True(p.devices == null);
    }

    private static LLamaModelParams DefaultParameters()
    {
        Native.LlamaNative.EnsureInitialised();
        return LLamaModelParams.Default();
    }

    [Theory]
    [InlineData("ggml_backend_cuda_buffer_type_alloc_buffer: allocating 4096.00 MiB on device 0: cudaMalloc failed: out of memory", true)]
    [InlineData("alloc_tensor_range: failed to allocate CUDA0 buffer of size 4294967296", true)]
    [InlineData("llama_model_load: error loading model: tensor 'blk.0.attn_q.weight' data is not within the file bounds", false)]
    public void Failed_gpu_allocations_are_recognised(string line, bool exhausted) =>
        Assert.Equal(exhausted, GpuMemory.IsExhausted(line));
}

using Glov.Core;
using Glov.Core.Devices;
using Glov.Onnx;
using Glov.Vision.Model;

namespace Glov.Vision.Tests;

/// <summary>The device rules against the ONNX Runtime this test process carries: the default build's
/// CPU package, which has no CUDA provider.</summary>
public class DeviceTests
{
    private const string Where = "run.yaml: fitness.device";

    [Fact]
    public void The_default_build_carries_the_cpu_onnx_runtime() => Assert.False(OnnxDevices.HasCudaProvider);

    [Fact]
    public void Auto_opens_the_towers_on_the_cpu_saying_why()
    {
        using var model = ClipModel.Open(Assets.TinyModel);
        Assert.Equal("cpu", model.Device.Device);
        Assert.Equal("auto: no usable CUDA device, this glov's ONNX Runtime is the CPU build (build glov with -p:GlovCuda=true for its CUDA provider)", model.Device.Reason);
        Assert.StartsWith("ONNX Runtime 1.31", model.Device.Runtime);
        Assert.EndsWith(", CPU build", model.Device.Runtime);
    }

    [Theory]
    [InlineData("cuda")]
    [InlineData("cuda:3")]
    public void Cuda_on_the_cpu_build_is_one_line_naming_the_build_switch(string device)
    {
        var e = Assert.Throws<GlovUserException>(() => OnnxDevices.Resolve("scorer", Where, DeviceSetting.TryParse(device)!));
        Assert.Equal($"{Where}: {device} asked for, but this glov's ONNX Runtime is the CPU build (build glov with -p:GlovCuda=true for its CUDA provider)", e.Message);
    }

    /// <summary>On the CPU build both are the CPU; with -p:GlovCuda=true on a GPU machine (scripts/gpu-check.sh)
    /// the default is CUDA device 0, and this is the check that its features match the CPU's.</summary>
    [Fact]
    public void Features_on_the_default_device_equal_the_cpus_within_1e_3()
    {
        var cpu = new DeviceChoice("scorer", DeviceSetting.Cpu, null, "device: cpu");
        using var onCpu = ClipModel.Open(Assets.TinyModel, device: cpu);
        using var byDefault = ClipModel.Open(Assets.TinyModel);
        Assert.Same(cpu, onCpu.Device);
        string[] texts = ["a photo of a cat.", "a blurry photo of a large airplane flying over the mountains at dusk.", "dog"];
        var pixels = Enumerable.Range(0, 2 * 3 * 32 * 32).Select(i => MathF.Sin(i * 0.37f)).ToArray();
        AssertClose(onCpu.EncodeTexts(texts), byDefault.EncodeTexts(texts));
        AssertClose(onCpu.EncodeImages(pixels, 2), byDefault.EncodeImages(pixels, 2));
    }

    private static void AssertClose(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var row = 0; row < expected.Length; row++)
        {
            var (e, a) = (Features.Vectors.Normalized(expected[row]), Features.Vectors.Normalized(actual[row]));
            Assert.True(e.Zip(a).All(p => Math.Abs(p.First - p.Second) <= 1e-3f), $"row {row} differs by more than 1e-3");
        }
    }

    [Theory]
    [InlineData("[ErrorCode:Fail] /onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:1952 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : Failed to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.12: cannot open shared object file: No such file or directory\n",
        "libcublasLt.so.12: cannot open shared object file: No such file or directory")]
    [InlineData("[ErrorCode:RuntimeException] CUDA failure 100: no CUDA-capable device is detected ; GPU=0\nmore", "[ErrorCode:RuntimeException] CUDA failure 100: no CUDA-capable device is detected ; GPU=0")]
    public void Provider_failures_are_cut_to_what_the_loader_could_not_find(string message, string expected) =>
        Assert.Equal(expected, OnnxDevices.ProviderFailure(message));
}

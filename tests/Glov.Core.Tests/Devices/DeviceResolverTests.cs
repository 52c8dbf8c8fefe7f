using Glov.Core;
using Glov.Core.Devices;

namespace Glov.Core.Tests.Devices;

public class DeviceResolverTests
{
    private const string Where = "run.yaml: proposer.device";
    private static readonly CudaAvailability OneGpu = CudaAvailability.Found(["NVIDIA H100 (79.1 GiB)"]);
    private static readonly CudaAvailability TwoGpus = CudaAvailability.Found(["GPU A", "GPU B"]);
    private static readonly CudaAvailability NoDriver = CudaAvailability.None("no NVIDIA driver (libcuda.so.1 not found)");

    [Theory]
    [InlineData("cpu", "cpu")]
    [InlineData(" CUDA ", "cuda")]
    [InlineData("auto", "auto")]
    [InlineData("cuda:0", "cuda:0")]
    [InlineData("cuda:12", "cuda:12")]
    public void Settings_parse_to_their_canonical_text(string text, string canonical) =>
        Assert.Equal(canonical, DeviceSetting.TryParse(text)!.ToString());

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:+1")]
    [InlineData("cuda:1.0")]
    [InlineData("cuda 1")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_texts_name_no_setting(string? text) => Assert.Null(DeviceSetting.TryParse(text));

    [Fact]
    public void Cpu_never_looks_for_a_gpu()
    {
        var choice = DeviceResolver.Resolve("llm", Where, DeviceSetting.Cpu, () => throw new InvalidOperationException("probed"));
        Assert.Equal(("cpu", (int?)null, "device: cpu"), (choice.Device, choice.CudaIndex, choice.Reason));
    }

    [Fact]
    public void Auto_takes_the_first_gpu_and_names_it()
    {
        var choice = DeviceResolver.Resolve("scorer", Where, DeviceSetting.Auto, () => TwoGpus);
        Assert.Equal(("cuda:0", "auto: found cuda:0 GPU A"), (choice.Device, choice.Reason));
        Assert.True(choice.OnGpu);
    }

    [Fact]
    public void Auto_falls_back_to_the_cpu_saying_what_is_missing()
    {
        var choice = DeviceResolver.Resolve("scorer", Where, DeviceSetting.Auto, () => NoDriver);
        Assert.Equal(("cpu", "auto: no usable CUDA device, no NVIDIA driver (libcuda.so.1 not found)"), (choice.Device, choice.Reason));
        Assert.False(choice.OnGpu);
    }

    [Fact]
    public void Cuda_takes_device_0()
    {
        var choice = DeviceResolver.Resolve("llm", Where, DeviceSetting.Cuda, () => OneGpu);
        Assert.Equal(("cuda:0", "device: cuda, cuda:0 NVIDIA H100 (79.1 GiB)"), (choice.Device, choice.Reason));
    }

    [Fact]
    public void Cuda_n_takes_device_n()
    {
        var choice = DeviceResolver.Resolve("llm", Where, DeviceSetting.CudaDevice(1), () => TwoGpus);
        Assert.Equal((1, "device: cuda:1, cuda:1 GPU B"), (choice.CudaIndex, choice.Reason));
    }

    [Fact]
    public void Cuda_without_a_gpu_is_a_user_error_naming_what_is_missing()
    {
        var error = Assert.Throws<GlovUserException>(() => DeviceResolver.Resolve("llm", Where, DeviceSetting.Cuda, () => NoDriver));
        Assert.Equal("run.yaml: proposer.device: cuda asked for, but no NVIDIA driver (libcuda.so.1 not found)", error.Message);
    }

    [Fact]
    public void A_device_past_the_last_is_a_user_error_listing_those_present()
    {
        var one = Assert.Throws<GlovUserException>(() => DeviceResolver.Resolve("llm", Where, DeviceSetting.CudaDevice(3), () => OneGpu));
        var two = Assert.Throws<GlovUserException>(() => DeviceResolver.Resolve("llm", Where, DeviceSetting.CudaDevice(2), () => TwoGpus));
        Assert.Equal("run.yaml: proposer.device: cuda:3 asked for, but this machine has 1 CUDA device (cuda:0)", one.Message);
        Assert.Equal("run.yaml: proposer.device: cuda:2 asked for, but this machine has 2 CUDA devices (cuda:0..cuda:1)", two.Message);
    }

    [Fact]
    public void The_probe_runs_at_most_once()
    {
        var calls = 0;
        DeviceResolver.Resolve("llm", Where, DeviceSetting.CudaDevice(1), () => { calls++; return TwoGpus; });
        Assert.Equal(1, calls);
    }
}

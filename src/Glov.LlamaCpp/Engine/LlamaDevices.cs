using System.Globalization;
using System.Runtime.InteropServices;
using Glov.Core.Devices;
using Glov.LlamaCpp.Native;

namespace Glov.LlamaCpp.Engine;

/// <summary>The GPUs the loaded llama.cpp build can offload to (its backends' GPU devices, in the order
/// llama.cpp numbers them for <c>main_gpu</c>), and the device rules applied to them.</summary>
public static class LlamaDevices
{
    public static DeviceChoice Resolve(string engine, string where, DeviceSetting setting) =>
        DeviceResolver.Resolve(engine, where, setting, Probe) with { Runtime = LlamaLibrary.Describe() };

    public static CudaAvailability Probe()
    {
        LlamaNative.EnsureInitialised();
        var gpus = new List<string>();
        for (nuint i = 0; i < Ggml.DeviceCount(); i++)
        {
            var device = Ggml.Device(i);
            if (Ggml.DeviceType(device) != Ggml.GpuDeviceType)
                continue;
            Ggml.DeviceMemory(device, out _, out var total);
            gpus.Add(string.Create(CultureInfo.InvariantCulture, $"{Marshal.PtrToStringUTF8(Ggml.DeviceDescription(device))} ({total / (double)(1L << 30):0.#} GiB)"));
        }
        if (gpus.Count > 0)
            return CudaAvailability.Found(gpus);
        var library = LlamaNative.LoadedLlamaPath();
        var backends = Enumerable.Range(0, (int)Ggml.RegistryCount()).Select(i => Marshal.PtrToStringUTF8(Ggml.RegistryName(Ggml.Registry((nuint)i))) ?? "").ToList();
        return CudaAvailability.None(backends.Contains("CUDA")
            ? $"llama.cpp's CUDA backend ({library}) sees no GPU (is the NVIDIA driver loaded? nvidia-smi lists the GPUs it sees)"
            : $"the llama.cpp in use ({library}) is built without CUDA (backends: {string.Join(", ", backends)}); build one with scripts/build-llama-cuda.sh and point native_library or {LlamaNative.LibraryVariable} at it");
    }
}

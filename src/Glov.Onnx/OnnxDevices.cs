using System.Runtime.InteropServices;
using Glov.Core;
using Glov.Core.Devices;
using Microsoft.ML.OnnxRuntime;

namespace Glov.Onnx;

/// <summary>
/// ONNX Runtime sessions on the device a <see cref="DeviceSetting"/> resolves to. CUDA is usable when this
/// build carries ONNX Runtime's CUDA provider (<c>-p:GlovCuda=true</c>), the provider's CUDA libraries
/// (cuBLAS, cuDNN, the CUDA runtime) load, and the NVIDIA driver sees the device; otherwise the reason
/// names what is missing, and <c>auto</c> runs on the CPU.
/// </summary>
public static class OnnxDevices
{
    private const string CudaProvider = "CUDAExecutionProvider";
    private static readonly Lazy<CudaAvailability> Found = new(Look);

    public static DeviceChoice Resolve(string engine, string where, DeviceSetting setting) =>
        DeviceResolver.Resolve(engine, where, setting, () => Found.Value) with
        {
            Runtime = $"ONNX Runtime {OrtEnv.Instance().GetVersionString()}, {(HasCudaProvider ? "CUDA" : "CPU")} build",
        };

    /// <summary>Session options for the chosen device: the CUDA provider first (ONNX Runtime runs any
    /// node it lacks on the CPU), or the CPU alone.</summary>
    public static SessionOptions Options(DeviceChoice device)
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (device.CudaIndex is { } gpu)
        {
            try
            {
                options.AppendExecutionProvider_CUDA(gpu);
            }
            catch (OnnxRuntimeException e)
            {
                options.Dispose();
                throw new GlovUserException($"{device.Engine}: ONNX Runtime cannot use {device.Device}: {ProviderFailure(e.Message)}", e);
            }
        }
        return options;
    }

    /// <summary>Whether this build's ONNX Runtime is the CUDA one (the -p:GlovCuda=true package).</summary>
    public static bool HasCudaProvider => OrtEnv.Instance().GetAvailableProviders().Contains(CudaProvider);

    private static CudaAvailability Look()
    {
        if (!HasCudaProvider)
            return CudaAvailability.None("this glov's ONNX Runtime is the CPU build (build glov with -p:GlovCuda=true for its CUDA provider)");
        var reasons = new List<string>();
        try
        {
            using var options = new SessionOptions();
            options.AppendExecutionProvider_CUDA(0);
        }
        catch (OnnxRuntimeException e)
        {
            reasons.Add($"ONNX Runtime's CUDA provider cannot load ({MissingLibrary() ?? ProviderFailure(e.Message)})");
        }
        var (devices, absence) = CudaDriver.Devices();
        if (absence is not null)
            reasons.Add(absence);
        return reasons.Count == 0 ? CudaAvailability.Found(devices) : CudaAvailability.None(string.Join("; ", reasons));
    }

    /// <summary>ONNX Runtime only says that its CUDA provider library failed to load; loading it here
    /// lets the dynamic loader name the CUDA library it lacks (cuBLAS, the CUDA runtime, …).</summary>
    private static string? MissingLibrary()
    {
        var provider = new[] { AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native") }
            .Select(folder => Path.Combine(folder, "libonnxruntime_providers_cuda.so")).FirstOrDefault(File.Exists);
        if (provider is null)
            return null;
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(provider));
            return null;
        }
        catch (DllNotFoundException e)
        {
            return e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        }
    }

    /// <summary>The part of ONNX Runtime's message that names the library the dynamic loader could not
    /// find (after "with error:"), else its first line.</summary>
    public static string ProviderFailure(string message)
    {
        const string marker = "with error: ";
        var at = message.IndexOf(marker, StringComparison.Ordinal);
        var text = at >= 0 ? message[(at + marker.Length)..] : message;
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? message;
    }
}

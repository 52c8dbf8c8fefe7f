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
            reasons.Add($"ONNX Runtime's CUDA provider cannot load ({ProviderFailure(e.Message)})");
        }
        var (devices, absence) = CudaDriver.Devices();
        if (absence is not null)
            reasons.Add(absence);
        return reasons.Count == 0 ? CudaAvailability.Found(devices) : CudaAvailability.None(string.Join("; ", reasons));
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

namespace Glov.Core.Devices;

/// <summary>The device an engine runs on, and why: the run's log and journal show it.</summary>
/// <param name="Engine">Which engine: <c>llm</c>, <c>scorer</c>, …</param>
/// <param name="Setting">The setting as resolved from the config (<c>auto</c>, <c>cuda:1</c>, …).</param>
/// <param name="CudaIndex">The CUDA device used; null on the CPU.</param>
public sealed record DeviceChoice(string Engine, DeviceSetting Setting, int? CudaIndex, string Reason)
{
    public bool OnGpu => CudaIndex is not null;

    public string Device => CudaIndex is { } i ? $"cuda:{i}" : "cpu";

    /// <summary>The native runtime that runs the engine (which llama.cpp library, which ONNX Runtime build).</summary>
    public string? Runtime { get; init; }

    public override string ToString() => $"{Engine} on {Device} ({Reason}){(Runtime is null ? "" : $"; {Runtime}")}";
}

using System.Globalization;

namespace Glov.Core.Devices;

/// <summary>
/// Where an engine should run, as a user writes it: <c>cpu</c>, <c>cuda</c> (the first CUDA device),
/// <c>cuda:N</c>, or <c>auto</c> (the first CUDA device when a usable one is found, else the CPU).
/// </summary>
public sealed record DeviceSetting
{
    private DeviceSetting(DeviceKind kind, int? index)
    {
        Kind = kind;
        Index = index;
    }

    public DeviceKind Kind { get; }

    /// <summary>The CUDA device of <c>cuda:N</c>; null for every other setting.</summary>
    public int? Index { get; }

    public static DeviceSetting Cpu { get; } = new(DeviceKind.Cpu, null);

    public static DeviceSetting Cuda { get; } = new(DeviceKind.Cuda, null);

    public static DeviceSetting Auto { get; } = new(DeviceKind.Auto, null);

    public static DeviceSetting CudaDevice(int index) =>
        index >= 0 ? new(DeviceKind.Cuda, index) : throw new ArgumentOutOfRangeException(nameof(index), index, "a CUDA device index is not negative");

    /// <summary>The setting a text names, or null when it names none (case-insensitive, spaces trimmed).</summary>
    public static DeviceSetting? TryParse(string? text)
    {
        var t = text?.Trim().ToLowerInvariant();
        switch (t)
        {
            case "cpu": return Cpu;
            case "cuda": return Cuda;
            case "auto": return Auto;
        }
        if (t is not null && t.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(t.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return CudaDevice(index);
        return null;
    }

    public const string Choices = "cpu, cuda, cuda:N or auto";

    public override string ToString() => Kind switch
    {
        DeviceKind.Cpu => "cpu",
        DeviceKind.Auto => "auto",
        _ => Index is { } i ? $"cuda:{i}" : "cuda",
    };
}

namespace Glov.Core.Devices;

/// <summary>What an engine found when it looked for CUDA devices it can use: their names (index =
/// position), or, when there are none, why (the library or driver that is missing).</summary>
public sealed record CudaAvailability(IReadOnlyList<string> Devices, string? Absence)
{
    public static CudaAvailability None(string why) => new([], why);

    public static CudaAvailability Found(IReadOnlyList<string> devices) =>
        devices.Count > 0 ? new(devices, null) : throw new ArgumentException("at least one device", nameof(devices));
}

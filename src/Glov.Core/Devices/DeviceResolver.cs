namespace Glov.Core.Devices;

/// <summary>
/// The rules that turn a <see cref="DeviceSetting"/> into a device: <c>cpu</c> never looks for CUDA;
/// <c>cuda</c> and <c>cuda:N</c> need that device and are a user error (naming what is missing)
/// otherwise; <c>auto</c> takes CUDA device 0 when there is one and else the CPU, saying why.
/// </summary>
public static class DeviceResolver
{
    /// <param name="engine">The engine's name in the log (<c>llm</c>, <c>scorer</c>).</param>
    /// <param name="where">The setting's place for messages, e.g. <c>run.yaml: proposer.device</c>.</param>
    /// <param name="probe">Looks for CUDA devices; called at most once, and never for <c>cpu</c>.</param>
    public static DeviceChoice Resolve(string engine, string where, DeviceSetting setting, Func<CudaAvailability> probe)
    {
        if (setting.Kind == DeviceKind.Cpu)
            return new DeviceChoice(engine, setting, null, "device: cpu");
        var found = probe();
        if (setting.Kind == DeviceKind.Auto)
            return found.Devices.Count > 0
                ? new DeviceChoice(engine, setting, 0, $"auto: found {Name(found, 0)}")
                : new DeviceChoice(engine, setting, null, $"auto: no usable CUDA device, {found.Absence}");
        var index = setting.Index ?? 0;
        if (found.Devices.Count == 0)
            throw new GlovUserException($"{where}: {setting} asked for, but {found.Absence}");
        if (index >= found.Devices.Count)
            throw new GlovUserException($"{where}: {setting} asked for, but this machine has {Count(found.Devices.Count)} (cuda:0{(found.Devices.Count > 1 ? $"..cuda:{found.Devices.Count - 1}" : "")})");
        return new DeviceChoice(engine, setting, index, $"device: {setting}, {Name(found, index)}");
    }

    private static string Name(CudaAvailability found, int index) => $"cuda:{index} {found.Devices[index]}";

    private static string Count(int n) => n == 1 ? "1 CUDA device" : $"{n} CUDA devices";
}

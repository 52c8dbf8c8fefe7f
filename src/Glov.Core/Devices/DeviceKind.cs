namespace Glov.Core.Devices;

public enum DeviceKind
{
    Cpu,
    Cuda,
    Auto,
}

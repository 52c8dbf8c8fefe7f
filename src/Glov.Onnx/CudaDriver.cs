using System.Runtime.InteropServices;
using System.Text;

namespace Glov.Onnx;

/// <summary>The NVIDIA driver's own view of the machine (libcuda.so.1, the CUDA driver API): whether it is
/// installed and which CUDA devices it sees. Loaded only when asked, so a CPU machine never needs it.</summary>
internal static unsafe class CudaDriver
{
    private const string Library = "libcuda.so.1";

    /// <summary>The devices' names, or why there are none.</summary>
    public static (IReadOnlyList<string> Devices, string? Absence) Devices()
    {
        if (!NativeLibrary.TryLoad(Library, out var handle))
            return ([], $"no NVIDIA driver ({Library} not found)");
        var init = (delegate* unmanaged[Cdecl]<uint, int>)NativeLibrary.GetExport(handle, "cuInit");
        var count = (delegate* unmanaged[Cdecl]<int*, int>)NativeLibrary.GetExport(handle, "cuDeviceGetCount");
        var name = (delegate* unmanaged[Cdecl]<byte*, int, int, int>)NativeLibrary.GetExport(handle, "cuDeviceGetName");
        var rc = init(0);
        if (rc != 0)
            return ([], $"the NVIDIA driver does not start (cuInit error {rc}{(rc == 100 ? ": no CUDA-capable device" : "")})");
        int n;
        rc = count(&n);
        if (rc != 0 || n == 0)
            return ([], rc != 0 ? $"the NVIDIA driver cannot count devices (cuDeviceGetCount error {rc})" : "the NVIDIA driver sees no CUDA device");
        var names = new List<string>();
        var buffer = stackalloc byte[256];
        for (var i = 0; i < n; i++)
            names.Add(name(buffer, 256, i) == 0 ? Marshal.PtrToStringUTF8((IntPtr)buffer) ?? "" : $"device {i}");
        return (names, null);
    }
}

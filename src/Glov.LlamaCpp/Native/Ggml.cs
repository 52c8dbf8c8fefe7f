using System.Runtime.InteropServices;

namespace Glov.LlamaCpp.Native;

/// <summary>The few ggml functions LLamaSharp does not bind: reading and changing a graph tensor in the eval
/// callback (through the backend, so it works wherever the tensor lives), and listing the backends' devices.</summary>
internal static unsafe partial class Ggml
{
    public const string Library = "ggml-base";

    /// <summary>The backend registry (which devices the build has) lives in libggml, not libggml-base.</summary>
    public const string RegistryLibrary = "ggml";

    /// <summary>llama.cpp's <c>ggml_backend_sched_eval_callback</c>: asked first whether the tensor
    /// is wanted (<paramref name="ask"/>), then called again once it is computed.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    [return: MarshalAs(UnmanagedType.U1)]
    public delegate bool EvalCallback(IntPtr tensor, [MarshalAs(UnmanagedType.U1)] bool ask, IntPtr userData);

    [LibraryImport(Library, EntryPoint = "ggml_get_name")]
    public static partial IntPtr GetName(IntPtr tensor);

    [LibraryImport(Library, EntryPoint = "ggml_nelements")]
    public static partial long ElementCount(IntPtr tensor);

    [LibraryImport(Library, EntryPoint = "ggml_backend_tensor_get")]
    public static partial void TensorGet(IntPtr tensor, void* data, nuint offset, nuint size);

    [LibraryImport(Library, EntryPoint = "ggml_backend_tensor_set")]
    public static partial void TensorSet(IntPtr tensor, void* data, nuint offset, nuint size);

    public static string Name(IntPtr tensor) => Marshal.PtrToStringUTF8(GetName(tensor)) ?? "";

    /// <summary>Whether the tensor is called <paramref name="name"/>, without allocating: the callback
    /// asks this of every node of every decode.</summary>
    public static bool NameIs(IntPtr tensor, ReadOnlySpan<byte> name)
    {
        var p = (byte*)GetName(tensor);
        for (var i = 0; i < name.Length; i++)
            if (p[i] != name[i])
                return false;
        return p[name.Length] == 0;
    }

    /// <summary>ggml's <c>GGML_BACKEND_DEVICE_TYPE_GPU</c>: a device with its own memory.</summary>
    public const int GpuDeviceType = 1;

    [LibraryImport(RegistryLibrary, EntryPoint = "ggml_backend_reg_count")]
    public static partial nuint RegistryCount();

    [LibraryImport(RegistryLibrary, EntryPoint = "ggml_backend_reg_get")]
    public static partial IntPtr Registry(nuint index);

    [LibraryImport(Library, EntryPoint = "ggml_backend_reg_name")]
    public static partial IntPtr RegistryName(IntPtr registry);

    [LibraryImport(RegistryLibrary, EntryPoint = "ggml_backend_dev_count")]
    public static partial nuint DeviceCount();

    [LibraryImport(RegistryLibrary, EntryPoint = "ggml_backend_dev_get")]
    public static partial IntPtr Device(nuint index);

    [LibraryImport(Library, EntryPoint = "ggml_backend_dev_type")]
    public static partial int DeviceType(IntPtr device);

    [LibraryImport(Library, EntryPoint = "ggml_backend_dev_description")]
    public static partial IntPtr DeviceDescription(IntPtr device);

    [LibraryImport(Library, EntryPoint = "ggml_backend_dev_memory")]
    public static partial void DeviceMemory(IntPtr device, out nuint free, out nuint total);
}

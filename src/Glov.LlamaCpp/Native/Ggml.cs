using System.Runtime.InteropServices;

namespace Glov.LlamaCpp.Native;

/// <summary>The few ggml functions LLamaSharp does not bind: reading and changing a graph tensor in the eval callback.</summary>
internal static unsafe partial class Ggml
{
    public const string Library = "ggml-base";

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
}

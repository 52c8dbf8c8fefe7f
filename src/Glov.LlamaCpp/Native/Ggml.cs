using System.Runtime.InteropServices;

namespace Glov.LlamaCpp.Native;

/// <summary>The few ggml functions LLamaSharp does not bind: reading a graph tensor in the eval callback.</summary>
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

    public static string Name(IntPtr tensor) => Marshal.PtrToStringUTF8(GetName(tensor)) ?? "";
}

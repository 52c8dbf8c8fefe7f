using System.Reflection;
using System.Runtime.InteropServices;
using Glov.LlamaCpp.Native;

namespace Glov.LlamaCpp.Tests;

/// <summary>ggml's own GGUF parser (gguf.h in libggml-base), the independent reader our writer is checked against.</summary>
internal static unsafe partial class GgmlGgufReader
{
    private const string Lib = "ggml-base";

    static GgmlGgufReader() =>
        NativeLibrary.SetDllImportResolver(typeof(GgmlGgufReader).Assembly,
            (name, _, _) => name == Lib ? LlamaNative.LoadGgmlBase() : IntPtr.Zero);

    [StructLayout(LayoutKind.Sequential)]
    public struct InitParams
    {
        public byte NoAlloc;
        public IntPtr Context;
    }

    [LibraryImport(Lib, EntryPoint = "gguf_init_from_file", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr InitFromFile(string path, InitParams p);

    [LibraryImport(Lib, EntryPoint = "gguf_free")] public static partial void Free(IntPtr ctx);
    [LibraryImport(Lib, EntryPoint = "gguf_get_n_kv")] public static partial long KeyCount(IntPtr ctx);
    [LibraryImport(Lib, EntryPoint = "gguf_find_key", StringMarshalling = StringMarshalling.Utf8)] public static partial long FindKey(IntPtr ctx, string key);
    [LibraryImport(Lib, EntryPoint = "gguf_get_kv_type")] public static partial int KeyType(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_arr_type")] public static partial int ArrayType(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_arr_n")] public static partial nuint ArrayCount(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_arr_data")] public static partial void* ArrayData(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_arr_str")] public static partial IntPtr ArrayString(IntPtr ctx, long id, nuint i);
    [LibraryImport(Lib, EntryPoint = "gguf_get_val_u8")] public static partial byte U8(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_val_i8")] public static partial sbyte I8(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_val_u16")] public static partial ushort U16(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_val_i16")] public static partial short I16(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_val_u32")] public static partial uint U32(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_val_i32")] public static partial int I32(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_val_u64")] public static partial ulong U64(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_val_i64")] public static partial long I64(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_val_f32")] public static partial float F32(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_val_f64")] public static partial double F64(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_val_bool")] [return: MarshalAs(UnmanagedType.U1)] public static partial bool Bool(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_val_str")] public static partial IntPtr Str(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_n_tensors")] public static partial long TensorCount(IntPtr ctx);
    [LibraryImport(Lib, EntryPoint = "gguf_find_tensor", StringMarshalling = StringMarshalling.Utf8)] public static partial long FindTensor(IntPtr ctx, string name);
    [LibraryImport(Lib, EntryPoint = "gguf_get_tensor_offset")] public static partial nuint TensorOffset(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_tensor_type")] public static partial int TensorType(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_tensor_size")] public static partial nuint TensorSize(IntPtr ctx, long id);
    [LibraryImport(Lib, EntryPoint = "gguf_get_data_offset")] public static partial nuint DataOffset(IntPtr ctx);
    [LibraryImport(Lib, EntryPoint = "gguf_get_alignment")] public static partial nuint Alignment(IntPtr ctx);

    public static IntPtr Open(string path) => InitFromFile(path, new InitParams { NoAlloc = 1 });

    public static string String(IntPtr p) => Marshal.PtrToStringUTF8(p)!;
}

using System.Reflection;
using System.Runtime.InteropServices;

namespace Glov.Generative.Multimodal;

/// <summary>
/// The two libmtmd functions LLamaSharp keeps internal: encoding one image chunk and reading the
/// projected embeddings (the language model's inputs for that image). Resolved to the libmtmd.so
/// LLamaSharp already loaded, so both bind the same native state.
/// </summary>
internal static partial class MtmdNative
{
    private const string Library = "mtmd";

    static MtmdNative() => NativeLibrary.SetDllImportResolver(typeof(MtmdNative).Assembly, Resolve);

    [LibraryImport(Library, EntryPoint = "mtmd_encode_chunk")]
    public static partial int EncodeChunk(IntPtr context, IntPtr chunk);

    [LibraryImport(Library, EntryPoint = "mtmd_get_output_embd")]
    public static partial IntPtr OutputEmbeddings(IntPtr context);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Library)
            return IntPtr.Zero;
        var loaded = File.ReadLines("/proc/self/maps")
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && Path.GetFileName(f[5]) == "libmtmd.so")
            .Select(f => f[5])
            .FirstOrDefault()
            ?? throw new DllNotFoundException("libmtmd.so is not loaded yet: load a projector first");
        return NativeLibrary.Load(loaded);
    }
}

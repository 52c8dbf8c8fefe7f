using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Glov.LlamaCpp.Native;

namespace Glov.Generative.Multimodal;

/// <summary>
/// The libmtmd functions LLamaSharp keeps internal or leaves out: encoding one image chunk, reading
/// the projected embeddings (the language model's inputs for that image), and taking over mtmd's
/// log, which otherwise prints every image's progress to stderr. Resolved to the libmtmd.so
/// LLamaSharp already loaded, so both bind the same native state.
/// </summary>
internal static unsafe partial class MtmdNative
{
    private const string Library = "mtmd";
    private const int LevelError = 4;
    private const int LevelContinue = 5;

    private static readonly Lock Gate = new();
    private static readonly RecentLogLines RecentErrors = new(6);
    private static bool _logCaptured;
    private static bool _lastWasError;

    static MtmdNative() => NativeLibrary.SetDllImportResolver(typeof(MtmdNative).Assembly, Resolve);

    [LibraryImport(Library, EntryPoint = "mtmd_encode_chunk")]
    public static partial int EncodeChunk(IntPtr context, IntPtr chunk);

    [LibraryImport(Library, EntryPoint = "mtmd_get_output_embd")]
    public static partial IntPtr OutputEmbeddings(IntPtr context);

    [LibraryImport(Library, EntryPoint = "mtmd_log_set")]
    private static partial void SetLog(delegate* unmanaged[Cdecl]<int, byte*, void*, void> callback, void* userData);

    [LibraryImport(Library, EntryPoint = "mtmd_helper_log_set")]
    private static partial void SetHelperLog(delegate* unmanaged[Cdecl]<int, byte*, void*, void> callback, void* userData);

    /// <summary>Keeps mtmd's error lines (for messages) and drops the rest. Call once libmtmd is loaded.</summary>
    public static void CaptureLog()
    {
        lock (Gate)
        {
            if (_logCaptured)
                return;
            SetLog(&OnLog, null);
            SetHelperLog(&OnLog, null);
            _logCaptured = true;
        }
    }

    /// <summary>The last error lines mtmd logged, oldest first, and forgets them.</summary>
    public static string TakeRecentErrors() => RecentErrors.Take();

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(int level, byte* text, void* userData)
    {
        lock (Gate)
        {
            if (level == LevelError || (level == LevelContinue && _lastWasError))
                RecentErrors.Add(Marshal.PtrToStringUTF8((IntPtr)text) ?? "");
            if (level != LevelContinue)
                _lastWasError = level == LevelError;
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == Library ? NativeLibrary.Load(LlamaNative.LoadedLibraryPath("libmtmd.so")) : IntPtr.Zero;
}

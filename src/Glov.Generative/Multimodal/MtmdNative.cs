using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    private static readonly Queue<string> RecentErrors = new();
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
    public static string TakeRecentErrors()
    {
        lock (RecentErrors)
        {
            var s = string.Join(" ", RecentErrors.Select(l => l.Trim()).Where(l => l.Length > 0));
            RecentErrors.Clear();
            return s;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(int level, byte* text, void* userData)
    {
        lock (RecentErrors)
        {
            if (level == LevelError || (level == LevelContinue && _lastWasError))
            {
                RecentErrors.Enqueue(Marshal.PtrToStringUTF8((IntPtr)text) ?? "");
                while (RecentErrors.Count > 6)
                    RecentErrors.Dequeue();
            }
            if (level != LevelContinue)
                _lastWasError = level == LevelError;
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Library)
            return IntPtr.Zero;
        var loaded = File.ReadLines("/proc/self/maps")
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && Path.GetFileName(f[5]) == "libmtmd.so")
            .Select(f => f[5])
            .FirstOrDefault()
            ?? throw new DllNotFoundException("libmtmd.so is not loaded yet: LLamaSharp loads it on its first mtmd call");
        return NativeLibrary.Load(loaded);
    }
}

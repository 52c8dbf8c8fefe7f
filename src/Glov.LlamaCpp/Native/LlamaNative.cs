using System.Reflection;
using System.Runtime.InteropServices;
using LLama.Native;

namespace Glov.LlamaCpp.Native;

/// <summary>
/// One-time setup of LLamaSharp's native llama.cpp: routes its log to a buffer (the last error
/// lines explain a failed load) and resolves <c>ggml-base</c> for <see cref="Ggml"/> to the copy
/// that LLamaSharp actually loaded (it picks an AVX variant at run time; a second copy of ggml
/// would have its own state).
/// </summary>
internal static class LlamaNative
{
    private static readonly Lock Gate = new();
    private static readonly RecentLogLines RecentErrors = new(4);
    private static bool _initialised;

    public static void EnsureInitialised()
    {
        lock (Gate)
        {
            if (_initialised)
                return;
            // Whoever loads llama.cpp first configures it; the log can still be redirected afterwards.
            if (NativeLibraryConfig.LLama.LibraryHasLoaded)
                NativeLogConfig.llama_log_set(OnLog);
            else
                NativeLibraryConfig.All.WithLogCallback(OnLog);
            NativeLibrary.SetDllImportResolver(typeof(LlamaNative).Assembly, Resolve);
            NativeApi.llama_empty_call();
            _initialised = true;
        }
    }

    /// <summary>The last error lines llama.cpp logged, oldest first, and forgets them.</summary>
    public static string TakeRecentErrors() => RecentErrors.Take();

    private static void OnLog(LLamaLogLevel level, string message)
    {
        if (level == LLamaLogLevel.Error)
            RecentErrors.Add(message);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == Ggml.Library ? LoadGgmlBase() : IntPtr.Zero;

    /// <summary>The libggml-base.so beside the libllama.so LLamaSharp loaded.</summary>
    public static IntPtr LoadGgmlBase() => NativeLibrary.Load(Path.Combine(Path.GetDirectoryName(LoadedLlamaPath())!, "libggml-base.so"));

    /// <summary>The libllama.so LLamaSharp chose for this CPU (its folder names the AVX variant).</summary>
    public static string LoadedLlamaPath()
    {
        EnsureInitialised();
        return LoadedLibraryPath("libllama.so");
    }

    /// <summary>Where this process mapped a native library from, so our own bindings reach the copy
    /// LLamaSharp loaded rather than loading a second one with its own state.</summary>
    public static string LoadedLibraryPath(string fileName) =>
        File.ReadLines("/proc/self/maps")
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && Path.GetFileName(f[5]) == fileName)
            .Select(f => f[5])
            .FirstOrDefault()
        ?? throw new DllNotFoundException($"{fileName} is not loaded yet: LLamaSharp loads it on first use");
}

using System.Reflection;
using System.Runtime.InteropServices;
using Glov.Core;
using LLama.Native;

namespace Glov.LlamaCpp.Native;

/// <summary>
/// One-time setup of LLamaSharp's native llama.cpp: which build it loads (LLamaSharp's bundled CPU
/// libraries, or a user's own build named by <see cref="UseLibrary"/> or <see cref="LibraryVariable"/>),
/// its log routed to a buffer (the last error lines explain a failed load), and <c>ggml-base</c> for
/// <see cref="Ggml"/> resolved to the copy beside the libllama.so actually loaded (a second copy of
/// ggml would have its own state). LLamaSharp loads llama.cpp once per process, so the choice is too.
/// </summary>
internal static class LlamaNative
{
    /// <summary>Environment variable naming a user's libllama.so (or its folder), used when no config names one.</summary>
    public const string LibraryVariable = "GLOV_LLAMA_LIBRARY";

    private static readonly Lock Gate = new();
    private static readonly RecentLogLines RecentErrors = new(4);
    private static bool _initialised;
    private static (string Path, string Where)? _custom;

    /// <summary>Makes this process use the llama.cpp build at <paramref name="path"/> (libllama.so or the
    /// folder holding it, with its libggml*.so and optionally libmtmd.so beside it). Checked now: a missing
    /// file, one the dynamic loader refuses (naming the library it could not find) or one without
    /// llama.cpp's API is a user error naming <paramref name="where"/>.</summary>
    public static void UseLibrary(string path, string where)
    {
        lock (Gate)
        {
            var library = LibraryFile(path, where);
            if (_custom is { } custom && RealPath(custom.Path) == RealPath(library))
                return;
            if (_initialised || NativeLibraryConfig.LLama.LibraryHasLoaded)
            {
                var loaded = _initialised ? LoadedLibraryPath("libllama.so") : "another library";
                if (RealPath(loaded) == RealPath(library))
                    return;
                throw new GlovUserException($"{where}: cannot switch to {library}: this process already loaded llama.cpp from {loaded} (LLamaSharp loads it once per process)");
            }
            Check(library, where);
            NativeLibraryConfig.LLama.WithLibrary(library);
            var mtmd = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(library)!, "libmtmd.so");
            if (File.Exists(mtmd))
                NativeLibraryConfig.Mtmd.WithLibrary(mtmd);
            _custom = (library, where);
        }
    }

    /// <summary>Where the custom library came from (a config key or <see cref="LibraryVariable"/>); null for LLamaSharp's own.</summary>
    public static string? CustomSource
    {
        get
        {
            lock (Gate)
                return _custom?.Where;
        }
    }

    public static void EnsureInitialised()
    {
        lock (Gate)
        {
            if (_initialised)
                return;
            if (_custom is null && !NativeLibraryConfig.LLama.LibraryHasLoaded
                && Environment.GetEnvironmentVariable(LibraryVariable) is { Length: > 0 } fromEnvironment)
                UseLibrary(fromEnvironment, LibraryVariable);
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

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) => name switch
    {
        Ggml.Library => LoadGgmlBase(),
        Ggml.RegistryLibrary => LoadBeside("libggml.so"),
        _ => IntPtr.Zero,
    };

    /// <summary>The libggml-base.so beside the libllama.so LLamaSharp loaded.</summary>
    public static IntPtr LoadGgmlBase() => LoadBeside("libggml-base.so");

    private static IntPtr LoadBeside(string file) => NativeLibrary.Load(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(LoadedLlamaPath())!, file));

    /// <summary>The libllama.so this process uses: LLamaSharp's choice for this CPU (its folder names the
    /// AVX variant) or the user's build.</summary>
    public static string LoadedLlamaPath()
    {
        EnsureInitialised();
        return LoadedLibraryPath("libllama.so");
    }

    /// <summary>Where this process mapped a native library from, so our own bindings reach the copy
    /// LLamaSharp loaded rather than loading a second one with its own state. A native build's
    /// libllama.so is a link to a versioned file (libllama.so.0.0.0), which is what gets mapped.</summary>
    public static string LoadedLibraryPath(string fileName) =>
        File.ReadLines("/proc/self/maps")
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && System.IO.Path.GetFileName(f[5]) is var name
                && (name == fileName || name.StartsWith(fileName + ".", StringComparison.Ordinal)))
            .Select(f => f[5])
            .FirstOrDefault()
        ?? throw new DllNotFoundException($"{fileName} is not loaded yet: LLamaSharp loads it on first use");

    /// <summary>The file a path ends at, links followed (libllama.so → libllama.so.0.0.0).</summary>
    private static string RealPath(string path) =>
        File.Exists(path) ? new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path : path;

    private static string LibraryFile(string path, string where)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
            full = System.IO.Path.Combine(full, "libllama.so");
        if (!File.Exists(full))
            throw new GlovUserException($"{where}: {full} does not exist (expected a llama.cpp build's libllama.so, or the folder holding it)");
        return full;
    }

    /// <summary>Loads the library once here, where the dynamic loader's reason for a refusal can still be
    /// read; LLamaSharp then loads the same file (the same handle) and would only log a failure.</summary>
    private static void Check(string library, string where)
    {
        IntPtr handle;
        try
        {
            handle = NativeLibrary.Load(library);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new GlovUserException($"{where}: cannot load {library}: {LoaderReason(e.Message)}", e);
        }
        foreach (var symbol in new[] { "llama_model_load_from_file", "llama_set_adapter_cvec", "llama_memory_seq_cp" })
            if (!NativeLibrary.TryGetExport(handle, symbol, out _))
                throw new GlovUserException($"{where}: {library} is not a llama.cpp build of the version LLamaSharp 0.30.0 binds (it has no {symbol})");
    }

    /// <summary>The dynamic loader's own words (dlerror: .NET puts them on the message's last line), with
    /// a missing CUDA driver named as such.</summary>
    private static string LoaderReason(string message)
    {
        var line = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        return line.Contains("libcuda.so", StringComparison.Ordinal) ? $"{line} (no NVIDIA driver on this machine, which this build needs)" : line;
    }
}

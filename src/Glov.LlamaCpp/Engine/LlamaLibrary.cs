using Glov.LlamaCpp.Native;

namespace Glov.LlamaCpp.Engine;

/// <summary>
/// Which llama.cpp build this process runs: LLamaSharp's bundled CPU libraries, or a user's own build
/// (a CUDA build from scripts/build-llama-cuda.sh, a native CPU build) named by a config's
/// <c>native_library</c> or the <c>GLOV_LLAMA_LIBRARY</c> environment variable. One per process.
/// </summary>
public static class LlamaLibrary
{
    public const string EnvironmentVariable = LlamaNative.LibraryVariable;

    /// <summary>Use the build at <paramref name="path"/> (libllama.so or its folder); checked now, a user
    /// error naming <paramref name="where"/> when it is missing, refused by the loader, or not llama.cpp.</summary>
    public static void Use(string path, string where) => LlamaNative.UseLibrary(path, where);

    /// <summary>The libllama.so in use (loading llama.cpp if nothing has yet).</summary>
    public static string LoadedPath => LlamaNative.LoadedLlamaPath();

    /// <summary>The library in use and where it was chosen, for logs.</summary>
    public static string Describe() =>
        $"llama.cpp {LoadedPath} ({(LlamaNative.CustomSource is { } source ? $"from {source}" : "LLamaSharp's bundled CPU build")})";
}

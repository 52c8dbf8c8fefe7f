using Glov.Cli.Config;
using Glov.LlamaCpp.Engine;

namespace Glov.Cli.Composition;

/// <summary>The <c>native_library</c> key of the llama.cpp-based components: a user's llama.cpp build
/// (libllama.so or its folder). One build serves the whole process, so it is applied when the component
/// loads, and a second, different one is refused there.</summary>
internal static class NativeLibrarySetting
{
    /// <returns>What makes the process use the build, or null when the key is absent.</returns>
    public static Action? Read(ConfigSection section, CompositionContext context)
    {
        var path = section.GetPath("native_library", context.BaseDirectory, mustExist: true);
        return path is null ? null : () => LlamaLibrary.Use(path, $"{section.Source}: {section.Name("native_library")}");
    }
}

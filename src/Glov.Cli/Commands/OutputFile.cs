using Glov.Core;

namespace Glov.Cli.Commands;

/// <summary>A file path the user named for a command to write: its folder is created, as one expects of
/// <c>out/model.gguf</c>, and a folder that cannot be created is the user's error, not an internal one.</summary>
internal static class OutputFile
{
    public static string Prepare(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GlovUserException($"{path}: cannot create its folder: {e.Message}", e);
        }
        return full;
    }
}

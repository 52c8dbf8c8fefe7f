namespace Glov.Core.Files;

/// <summary>
/// Files that appear whole or not at all: the contents go to a temporary name beside the target
/// (unique per writer, so concurrent writers never share one), are flushed to disk, and are renamed
/// over the target. A kill or a full disk leaves the old file (or none) and at most a stray temporary.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, leaveOpen: true);
        writer.Write(text);
    });

    /// <summary>Builds the file with <paramref name="fill"/> under a temporary name, then renames it.</summary>
    /// <exception cref="GlovUserException">The folder cannot be created or written (full, read-only, not a folder).</exception>
    public static void Write(string path, Action<FileStream> fill) => Build(path, temporary =>
    {
        using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        fill(stream);
        stream.Flush(flushToDisk: true);
    }, overwrite: true);

    /// <summary>Lets <paramref name="build"/> create a file at the temporary path it is given, then renames
    /// it to <paramref name="path"/>; without <paramref name="overwrite"/>, an existing target is kept and
    /// the call fails.</summary>
    public static void Build(string path, Action<string> build, bool overwrite)
    {
        var full = Path.GetFullPath(path);
        var temporary = TemporaryFor(full);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            build(temporary);
            File.Move(temporary, full, overwrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new GlovUserException($"{full}: cannot write ({OneLine(e.Message)})", e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>A name beside <paramref name="fullPath"/> that no other writer uses; starts with a dot so
    /// folder listings skip it.</summary>
    public static string TemporaryFor(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").TrimEnd('.');
}

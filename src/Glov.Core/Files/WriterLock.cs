namespace Glov.Core.Files;

/// <summary>
/// An exclusive advisory lock (flock) on a file, held until disposed and released by the OS when the
/// process dies. The file is opened without truncation and its contents are left alone, so a file can
/// lock itself (a journal holds its own writer's lock).
/// </summary>
public sealed class WriterLock : IDisposable
{
    private readonly FileStream _stream;

    private WriterLock(FileStream stream) => _stream = stream;

    /// <summary>The lock, or null when another holder has it.</summary>
    public static WriterLock? TryAcquire(string path, bool create = true)
    {
        try
        {
            return new WriterLock(new FileStream(path, create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.Read, FileShare.None));
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(path))
        {
            return null;
        }
    }

    /// <summary>Waits up to <paramref name="patience"/> for the lock; null when it stayed taken.</summary>
    public static WriterLock? Acquire(string path, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        var pause = 5;
        while (true)
        {
            if (TryAcquire(path) is { } held)
                return held;
            if (DateTime.UtcNow >= deadline)
                return null;
            Thread.Sleep(pause);
            pause = Math.Min(pause * 2, 100);
        }
    }

    public void Dispose() => _stream.Dispose();
}

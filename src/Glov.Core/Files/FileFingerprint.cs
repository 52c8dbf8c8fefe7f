using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Glov.Core.Files;

/// <summary>
/// Identifies a file by its contents: <c>&lt;size&gt;:&lt;XXH128 of every byte&gt;</c>. XXH128 runs at
/// memory speed, so hashing is bound by the disk; a whole-file hash (not sampled chunks) is used because
/// a fine-tuned or re-quantised model of the same size may differ anywhere. To spare re-reading
/// multi-GB models on every start, a result is remembered by (full path, size, modification time):
/// in memory, and for files of <see cref="PersistFrom"/> bytes or more in one small file per path
/// under <see cref="CacheFolder"/>. Replacing a file changes its modification time, so it is hashed again.
/// </summary>
public static class FileFingerprint
{
    public const long PersistFrom = 64L << 20;

    private sealed record Remembered(string Path, long Length, long WrittenTicks, string Fingerprint);

    private static readonly ConcurrentDictionary<string, Remembered> Known = new(StringComparer.Ordinal);

    /// <summary><c>$GLOV_CACHE_HOME</c>, else <c>$XDG_CACHE_HOME/glov</c>, else <c>~/.cache/glov</c>.</summary>
    public static string CacheFolder =>
        Environment.GetEnvironmentVariable("GLOV_CACHE_HOME") is { Length: > 0 } glov ? glov
        : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "glov");

    /// <exception cref="GlovUserException">The file cannot be read.</exception>
    public static string Of(string path)
    {
        var full = Path.GetFullPath(path);
        var info = new FileInfo(full);
        if (!info.Exists)
            throw new GlovUserException($"{full}: no such file");
        var length = info.Length;
        var written = info.LastWriteTimeUtc.Ticks;
        if (Known.TryGetValue(full, out var known) && known.Length == length && known.WrittenTicks == written)
            return known.Fingerprint;
        var persisted = length >= PersistFrom ? ReadPersisted(full) : null;
        if (persisted is not null && persisted.Length == length && persisted.WrittenTicks == written)
        {
            Known[full] = persisted;
            return persisted.Fingerprint;
        }
        var fingerprint = $"{length}:{Hash(full)}";
        var remembered = new Remembered(full, length, written, fingerprint);
        Known[full] = remembered;
        if (length >= PersistFrom)
            Persist(remembered);
        return fingerprint;
    }

    /// <summary>XXH128 of a file's bytes, lower-case hex.</summary>
    public static string Hash(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
            var hash = new XxHash128();
            hash.Append(stream);
            return Convert.ToHexStringLower(hash.GetCurrentHash());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GlovUserException($"{path}: cannot read ({e.Message})", e);
        }
    }

    private static string EntryPath(string fullPath) =>
        Path.Combine(CacheFolder, "fingerprints", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fullPath)))[..32] + ".json");

    private static Remembered? ReadPersisted(string fullPath)
    {
        try
        {
            var entry = JsonSerializer.Deserialize<Remembered>(File.ReadAllText(EntryPath(fullPath)));
            return entry?.Path == fullPath ? entry : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Best effort: a cache folder that cannot be written only costs a re-hash next time.</summary>
    private static void Persist(Remembered entry)
    {
        try
        {
            AtomicFile.WriteAllText(EntryPath(entry.Path), JsonSerializer.Serialize(entry));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or GlovUserException)
        {
        }
    }
}

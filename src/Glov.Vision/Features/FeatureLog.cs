using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Glov.Core.Files;

namespace Glov.Vision.Features;

/// <summary>
/// An append-only file of keyed feature vectors shared by any number of processes. Every record is
/// framed (marker, payload length, XXH64 of the payload), so a reader skips a record torn by a killed
/// writer, or any other damage, and picks up again at the next marker. Appends hold an exclusive lock
/// on <c>&lt;file&gt;.lock</c>, so records of concurrent writers never interleave; readers take no lock
/// and never change the file. A key may appear more than once (two processes computed it at once):
/// the features are the same, the last one read wins.
/// </summary>
internal sealed class FeatureLog(string path)
{
    private static ReadOnlySpan<byte> Marker => "GLOVFEAT"u8;
    private const int HeaderLength = 8 + sizeof(int) + sizeof(ulong);

    /// <summary>How long an append waits for another writer before giving up (the cache only saves work).</summary>
    private static readonly TimeSpan LockPatience = TimeSpan.FromSeconds(30);

    public string Path { get; } = path;

    public Dictionary<string, float[]> ReadAll()
    {
        var entries = new Dictionary<string, float[]>(StringComparer.Ordinal);
        byte[] bytes;
        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return entries;
        }
        var position = 0;
        while (position + HeaderLength <= bytes.Length)
        {
            var span = bytes.AsSpan(position);
            var length = BinaryPrimitives.ReadInt32LittleEndian(span[8..]);
            if (!span.StartsWith(Marker) || length < 0 || length > bytes.Length - position - HeaderLength
                || BinaryPrimitives.ReadUInt64LittleEndian(span[12..]) != XxHash64.HashToUInt64(span.Slice(HeaderLength, length))
                || !TryDecode(span.Slice(HeaderLength, length), out var key, out var features))
            {
                var next = bytes.AsSpan(position + 1).IndexOf(Marker);
                if (next < 0)
                    break;
                position += 1 + next;
                continue;
            }
            entries[key] = features;
            position += HeaderLength + length;
        }
        return entries;
    }

    /// <summary>Appends the entries as one write under the writers' lock; returns false, having written
    /// nothing whole, when another writer held the lock for longer than the patience allows or the file
    /// cannot be written (full disk, read-only folder): the cache only saves work, so the run goes on.</summary>
    public bool Append(IReadOnlyList<(string Key, float[] Features)> entries)
    {
        try
        {
            return TryAppend(entries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private bool TryAppend(IReadOnlyList<(string Key, float[] Features)> entries)
    {
        if (entries.Count == 0)
            return true;
        var buffer = new MemoryStream();
        foreach (var (key, features) in entries)
            WriteRecord(buffer, key, features);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var writerLock = WriterLock.Acquire(Path + ".lock", LockPatience);
        if (writerLock is null)
            return false;
        using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        buffer.Position = 0;
        buffer.CopyTo(file);
        file.Flush(flushToDisk: true);
        return true;
    }

    private static void WriteRecord(MemoryStream buffer, string key, float[] features)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var payload = new byte[sizeof(int) + keyBytes.Length + sizeof(int) + features.Length * sizeof(float)];
        BinaryPrimitives.WriteInt32LittleEndian(payload, keyBytes.Length);
        keyBytes.CopyTo(payload, sizeof(int));
        var at = sizeof(int) + keyBytes.Length;
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(at), features.Length);
        Buffer.BlockCopy(features, 0, payload, at + sizeof(int), features.Length * sizeof(float));

        Span<byte> header = stackalloc byte[HeaderLength];
        Marker.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], payload.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(header[12..], XxHash64.HashToUInt64(payload));
        buffer.Write(header);
        buffer.Write(payload);
    }

    private static bool TryDecode(ReadOnlySpan<byte> payload, out string key, out float[] features)
    {
        key = "";
        features = [];
        if (payload.Length < 2 * sizeof(int))
            return false;
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(payload);
        if (keyLength < 0 || keyLength > payload.Length - 2 * sizeof(int))
            return false;
        var rest = payload[(sizeof(int) + keyLength)..];
        var count = BinaryPrimitives.ReadInt32LittleEndian(rest);
        if (count < 0 || (long)count * sizeof(float) != rest.Length - sizeof(int))
            return false;
        key = Encoding.UTF8.GetString(payload.Slice(sizeof(int), keyLength));
        features = new float[count];
        rest[sizeof(int)..].CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(features.AsSpan()));
        return true;
    }
}

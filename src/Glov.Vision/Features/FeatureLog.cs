using System.Text;

namespace Glov.Vision.Features;

/// <summary>
/// An append-only file of keyed feature vectors (or the reason a key has none). Appending after each
/// batch means a killed run keeps what it computed; a torn last record is ignored on reading.
/// </summary>
internal sealed class FeatureLog(string path)
{
    public sealed record Entry(string Key, float[]? Features, string? Error);

    public string Path { get; } = path;

    public Dictionary<string, Entry> ReadAll()
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        if (!File.Exists(Path))
            return entries;
        using var reader = new BinaryReader(File.OpenRead(Path), Encoding.UTF8);
        var length = reader.BaseStream.Length;
        try
        {
            while (reader.BaseStream.Position < length)
            {
                var key = reader.ReadString();
                var count = reader.ReadInt32();
                if (count < 0)
                {
                    entries[key] = new Entry(key, null, reader.ReadString());
                    continue;
                }
                var bytes = reader.ReadBytes(count * sizeof(float));
                if (bytes.Length != count * sizeof(float))
                    break;
                var features = new float[count];
                Buffer.BlockCopy(bytes, 0, features, 0, bytes.Length);
                entries[key] = new Entry(key, features, null);
            }
        }
        catch (EndOfStreamException)
        {
            // A run stopped mid-write: everything before the torn record is intact.
        }
        return entries;
    }

    public void Append(IEnumerable<Entry> entries)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var writer = new BinaryWriter(new FileStream(Path, FileMode.Append, FileAccess.Write), Encoding.UTF8);
        foreach (var entry in entries)
        {
            writer.Write(entry.Key);
            if (entry.Features is null)
            {
                writer.Write(-1);
                writer.Write(entry.Error ?? "");
                continue;
            }
            writer.Write(entry.Features.Length);
            var bytes = new byte[entry.Features.Length * sizeof(float)];
            Buffer.BlockCopy(entry.Features, 0, bytes, 0, bytes.Length);
            writer.Write(bytes);
        }
    }
}

using System.Text;

namespace Glov.LlamaCpp.Gguf;

/// <summary>
/// Writes a GGUF version 3 file: header, key/value metadata of any GGUF type, tensor infos, then
/// tensor data, each tensor aligned to <see cref="Alignment"/> bytes (recorded as
/// <c>general.alignment</c> when it is not the format's default of 32).
/// </summary>
public sealed class GgufWriter
{
    public const int DefaultAlignment = 32;
    private const uint Magic = 0x46554747; // "GGUF" read as a little-endian uint32
    private const uint Version = 3;

    private readonly List<KeyValuePair<string, GgufValue>> _metadata = [];
    private readonly List<GgufTensor> _tensors = [];

    public int Alignment { get; init; } = DefaultAlignment;

    public IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata => _metadata;

    public IReadOnlyList<GgufTensor> Tensors => _tensors;

    public GgufWriter Set(string key, GgufValue value)
    {
        if (_metadata.Any(kv => kv.Key == key))
            throw new ArgumentException($"metadata key '{key}' is already set", nameof(key));
        _metadata.Add(new(key, value));
        return this;
    }

    public GgufWriter Add(GgufTensor tensor)
    {
        if (_tensors.Any(t => t.Name == tensor.Name))
            throw new ArgumentException($"tensor '{tensor.Name}' is already added", nameof(tensor));
        if (tensor.Shape.Count is < 1 or > 4 || tensor.Shape.Any(d => d < 1))
            throw new ArgumentException($"tensor '{tensor.Name}' has an invalid shape [{string.Join(", ", tensor.Shape)}]", nameof(tensor));
        if (tensor.Shape[0] % GgmlEncoding.BlockSize(tensor.Type) != 0)
            throw new ArgumentException($"tensor '{tensor.Name}': {tensor.Type} needs a first dimension divisible by {GgmlEncoding.BlockSize(tensor.Type)}", nameof(tensor));
        _tensors.Add(tensor);
        return this;
    }

    public void Write(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Write(file);
    }

    public void Write(Stream output)
    {
        if (Alignment <= 0 || (Alignment & (Alignment - 1)) != 0)
            throw new InvalidOperationException($"alignment {Alignment} is not a power of two");
        var metadata = Alignment == DefaultAlignment || _metadata.Any(kv => kv.Key == "general.alignment")
            ? _metadata
            : [.. _metadata, new("general.alignment", GgufValue.Of((uint)Alignment))];

        var w = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(Version);
        w.Write((ulong)_tensors.Count);
        w.Write((ulong)metadata.Count);
        foreach (var (key, value) in metadata)
        {
            WriteString(w, key);
            w.Write((uint)value.Type);
            WriteValue(w, value);
        }

        ulong offset = 0;
        foreach (var t in _tensors)
        {
            WriteString(w, t.Name);
            w.Write((uint)t.Shape.Count);
            foreach (var d in t.Shape)
                w.Write((ulong)d);
            w.Write((uint)t.Type);
            w.Write(offset);
            offset = Align(offset + (ulong)t.ByteCount);
        }
        w.Flush();

        var position = (ulong)output.Position;
        Pad(output, Align(position) - position);
        foreach (var t in _tensors)
        {
            WriteData(output, t);
            Pad(output, Align((ulong)t.ByteCount) - (ulong)t.ByteCount);
        }
        output.Flush();
    }

    private ulong Align(ulong n) => (n + (ulong)Alignment - 1) / (ulong)Alignment * (ulong)Alignment;

    private static void Pad(Stream output, ulong count)
    {
        for (ulong i = 0; i < count; i++)
            output.WriteByte(0);
    }

    private static void WriteData(Stream output, GgufTensor t)
    {
        var block = GgmlEncoding.BlockSize(t.Type);
        long written = 0;
        foreach (var chunk in t.Data)
        {
            if (chunk.Length % block != 0)
                throw new InvalidOperationException($"tensor '{t.Name}': a data chunk of {chunk.Length} values is not a whole number of {block}-value blocks");
            written += chunk.Length;
            if (written > t.ElementCount)
                break;
            GgmlEncoding.Write(output, t.Type, chunk);
        }
        if (written != t.ElementCount)
            throw new InvalidOperationException($"tensor '{t.Name}': data has {written} values, shape needs {t.ElementCount}");
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static void WriteValue(BinaryWriter w, GgufValue v)
    {
        if (v.Type != GgufValueType.Array)
        {
            WriteScalar(w, v.Type, v.Value);
            return;
        }
        if (v.ElementType == GgufValueType.Array)
            throw new NotSupportedException("nested GGUF arrays are not supported");
        var items = (System.Collections.IList)v.Value;
        w.Write((uint)v.ElementType);
        w.Write((ulong)items.Count);
        foreach (var item in items)
            WriteScalar(w, v.ElementType, item!);
    }

    private static void WriteScalar(BinaryWriter w, GgufValueType type, object value)
    {
        switch (type)
        {
            case GgufValueType.UInt8: w.Write((byte)value); break;
            case GgufValueType.Int8: w.Write((sbyte)value); break;
            case GgufValueType.UInt16: w.Write((ushort)value); break;
            case GgufValueType.Int16: w.Write((short)value); break;
            case GgufValueType.UInt32: w.Write((uint)value); break;
            case GgufValueType.Int32: w.Write((int)value); break;
            case GgufValueType.UInt64: w.Write((ulong)value); break;
            case GgufValueType.Int64: w.Write((long)value); break;
            case GgufValueType.Float32: w.Write((float)value); break;
            case GgufValueType.Float64: w.Write((double)value); break;
            case GgufValueType.Bool: w.Write((bool)value ? (byte)1 : (byte)0); break;
            case GgufValueType.String: WriteString(w, (string)value); break;
            default: throw new NotSupportedException($"GGUF value type {type}");
        }
    }
}

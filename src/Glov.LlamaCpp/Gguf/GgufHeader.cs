using System.Text;
using Glov.Core;

namespace Glov.LlamaCpp.Gguf;

/// <summary>
/// What a GGUF file's header says, read without loading the model or touching its tensor data: the scalar
/// metadata (numbers, booleans and strings; arrays such as the vocabulary are skipped), the parameter count
/// (elements of all tensors) and the bytes of tensor data (what inference streams through memory).
/// </summary>
public sealed record GgufHeader(IReadOnlyDictionary<string, object> Metadata, long Parameters, long TensorBytes, int Tensors)
{
    private const uint Magic = 0x46554747; // "GGUF" read little-endian

    /// <summary>A numeric metadata value, e.g. <c>clip.vision.image_size</c>; null when absent or not a number.</summary>
    public long? Integer(string key) => Metadata.GetValueOrDefault(key) switch
    {
        byte v => v, sbyte v => v, ushort v => v, short v => v, uint v => v, int v => v, ulong v => (long)v, long v => v,
        _ => null,
    };

    public static GgufHeader Read(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var r = new BinaryReader(file, Encoding.UTF8);
            if (r.ReadUInt32() != Magic)
                throw new GlovUserException($"{path}: not a GGUF file (no GGUF magic)");
            var version = r.ReadUInt32();
            if (version is < 2 or > 3)
                throw new GlovUserException($"{path}: GGUF version {version} is not supported (2 or 3)");
            var tensorCount = Count(r.ReadUInt64(), path);
            var keyCount = Count(r.ReadUInt64(), path);
            var metadata = new Dictionary<string, object>(StringComparer.Ordinal);
            for (var i = 0; i < keyCount; i++)
            {
                var key = ReadString(r, path);
                if (ReadValue(r, (GgufValueType)r.ReadUInt32(), path) is { } value)
                    metadata[key] = value;
            }
            long parameters = 0;
            for (var i = 0; i < tensorCount; i++)
            {
                ReadString(r, path);
                var dims = r.ReadUInt32();
                if (dims > 8)
                    throw new GlovUserException($"{path}: malformed GGUF header (a tensor with {dims} dimensions)");
                long elements = 1;
                for (var d = 0; d < dims; d++)
                    elements = checked(elements * Count(r.ReadUInt64(), path));
                r.ReadUInt32(); // type and offset: the data section's size gives the bytes
                r.ReadUInt64();
                parameters += elements;
            }
            var alignment = metadata.GetValueOrDefault("general.alignment") is uint a and > 0 ? a : GgufWriter.DefaultAlignment;
            var dataStart = (file.Position + alignment - 1) / alignment * alignment;
            // The data section runs from the aligned end of the header to the end of the file.
            return new GgufHeader(metadata, parameters, Math.Max(0, file.Length - dataStart), (int)tensorCount);
        }
        catch (EndOfStreamException)
        {
            throw new GlovUserException($"{path}: truncated GGUF header");
        }
    }

    private static long Count(ulong value, string path) =>
        value <= 1UL << 40 ? (long)value : throw new GlovUserException($"{path}: malformed GGUF header (a count of {value})");

    private static string ReadString(BinaryReader r, string path)
    {
        var length = Count(r.ReadUInt64(), path);
        if (length > 1 << 24)
            throw new GlovUserException($"{path}: malformed GGUF header (a string of {length} bytes)");
        return Encoding.UTF8.GetString(r.ReadBytes((int)length));
    }

    /// <summary>Reads one value; arrays are skipped (null).</summary>
    private static object? ReadValue(BinaryReader r, GgufValueType type, string path)
    {
        switch (type)
        {
            case GgufValueType.UInt8: return r.ReadByte();
            case GgufValueType.Int8: return r.ReadSByte();
            case GgufValueType.UInt16: return r.ReadUInt16();
            case GgufValueType.Int16: return r.ReadInt16();
            case GgufValueType.UInt32: return r.ReadUInt32();
            case GgufValueType.Int32: return r.ReadInt32();
            case GgufValueType.Float32: return r.ReadSingle();
            case GgufValueType.Bool: return r.ReadByte() != 0;
            case GgufValueType.String: return ReadString(r, path);
            case GgufValueType.UInt64: return r.ReadUInt64();
            case GgufValueType.Int64: return r.ReadInt64();
            case GgufValueType.Float64: return r.ReadDouble();
            case GgufValueType.Array:
                var elementType = (GgufValueType)r.ReadUInt32();
                var n = Count(r.ReadUInt64(), path);
                for (long i = 0; i < n; i++)
                    ReadValue(r, elementType, path);
                return null;
            default:
                throw new GlovUserException($"{path}: malformed GGUF header (value type {(uint)type})");
        }
    }
}

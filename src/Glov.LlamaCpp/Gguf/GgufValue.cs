namespace Glov.LlamaCpp.Gguf;

/// <summary>One typed metadata value. Arrays hold elements of a single scalar or string type.</summary>
public sealed record GgufValue(GgufValueType Type, object Value, GgufValueType ElementType = GgufValueType.UInt8)
{
    public static GgufValue Of(byte v) => new(GgufValueType.UInt8, v);
    public static GgufValue Of(sbyte v) => new(GgufValueType.Int8, v);
    public static GgufValue Of(ushort v) => new(GgufValueType.UInt16, v);
    public static GgufValue Of(short v) => new(GgufValueType.Int16, v);
    public static GgufValue Of(uint v) => new(GgufValueType.UInt32, v);
    public static GgufValue Of(int v) => new(GgufValueType.Int32, v);
    public static GgufValue Of(ulong v) => new(GgufValueType.UInt64, v);
    public static GgufValue Of(long v) => new(GgufValueType.Int64, v);
    public static GgufValue Of(float v) => new(GgufValueType.Float32, v);
    public static GgufValue Of(double v) => new(GgufValueType.Float64, v);
    public static GgufValue Of(bool v) => new(GgufValueType.Bool, v);
    public static GgufValue Of(string v) => new(GgufValueType.String, v);

    public static GgufValue Array(IReadOnlyList<byte> v) => new(GgufValueType.Array, v, GgufValueType.UInt8);
    public static GgufValue Array(IReadOnlyList<sbyte> v) => new(GgufValueType.Array, v, GgufValueType.Int8);
    public static GgufValue Array(IReadOnlyList<ushort> v) => new(GgufValueType.Array, v, GgufValueType.UInt16);
    public static GgufValue Array(IReadOnlyList<short> v) => new(GgufValueType.Array, v, GgufValueType.Int16);
    public static GgufValue Array(IReadOnlyList<uint> v) => new(GgufValueType.Array, v, GgufValueType.UInt32);
    public static GgufValue Array(IReadOnlyList<int> v) => new(GgufValueType.Array, v, GgufValueType.Int32);
    public static GgufValue Array(IReadOnlyList<ulong> v) => new(GgufValueType.Array, v, GgufValueType.UInt64);
    public static GgufValue Array(IReadOnlyList<long> v) => new(GgufValueType.Array, v, GgufValueType.Int64);
    public static GgufValue Array(IReadOnlyList<float> v) => new(GgufValueType.Array, v, GgufValueType.Float32);
    public static GgufValue Array(IReadOnlyList<double> v) => new(GgufValueType.Array, v, GgufValueType.Float64);
    public static GgufValue Array(IReadOnlyList<bool> v) => new(GgufValueType.Array, v, GgufValueType.Bool);
    public static GgufValue Array(IReadOnlyList<string> v) => new(GgufValueType.Array, v, GgufValueType.String);
}

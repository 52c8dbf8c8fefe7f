namespace Glov.LlamaCpp.Gguf;

/// <summary>Byte layouts of the supported ggml tensor types.</summary>
public static class GgmlEncoding
{
    /// <summary>Q8_0 stores blocks of 32 values as an f16 scale followed by 32 signed bytes.</summary>
    public const int Q8BlockSize = 32;
    private const int Q8BlockBytes = 2 + Q8BlockSize;

    public static int BlockSize(GgmlType type) => type == GgmlType.Q8_0 ? Q8BlockSize : 1;

    public static long ByteCount(GgmlType type, long elements) => type switch
    {
        GgmlType.F32 => elements * 4,
        GgmlType.F16 => elements * 2,
        GgmlType.Q8_0 => elements / Q8BlockSize * Q8BlockBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unsupported ggml type"),
    };

    /// <summary>Encodes <paramref name="values"/> (a whole number of blocks) and writes them.</summary>
    public static void Write(Stream output, GgmlType type, ReadOnlySpan<float> values)
    {
        var bytes = new byte[ByteCount(type, values.Length)];
        switch (type)
        {
            case GgmlType.F32:
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(bytes);
                break;
            case GgmlType.F16:
                for (var i = 0; i < values.Length; i++)
                    BitConverter.TryWriteBytes(bytes.AsSpan(2 * i), (Half)values[i]);
                break;
            case GgmlType.Q8_0:
                for (var b = 0; b < values.Length / Q8BlockSize; b++)
                    QuantizeQ8Block(values.Slice(b * Q8BlockSize, Q8BlockSize), bytes.AsSpan(b * Q8BlockBytes, Q8BlockBytes));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "unsupported ggml type");
        }
        output.Write(bytes);
    }

    // Same rounding as ggml's reference quantiser: d = max|x| / 127, q = round(x / d).
    private static void QuantizeQ8Block(ReadOnlySpan<float> x, Span<byte> block)
    {
        var amax = 0f;
        foreach (var v in x)
            amax = Math.Max(amax, Math.Abs(v));
        var d = amax / 127f;
        var id = d != 0 ? 1f / d : 0f;
        BitConverter.TryWriteBytes(block, (Half)d);
        for (var i = 0; i < Q8BlockSize; i++)
            block[2 + i] = (byte)(sbyte)MathF.Round(x[i] * id, MidpointRounding.AwayFromZero);
    }
}

namespace Glov.LlamaCpp.Gguf;

/// <summary>
/// A tensor to write. <see cref="Shape"/> is in ggml order: the first dimension is the innermost
/// (contiguous) one, so a PyTorch-style [rows, columns] matrix has Shape = [columns, rows].
/// <see cref="Data"/> yields the float32 values in memory order, in chunks of any size (whole
/// quantisation blocks for block types); it is enumerated once, while writing, so large random
/// tensors need never be held in memory.
/// </summary>
public sealed record GgufTensor(string Name, IReadOnlyList<long> Shape, GgmlType Type, IEnumerable<float[]> Data)
{
    public static GgufTensor FromValues(string name, IReadOnlyList<long> shape, GgmlType type, float[] values) =>
        new(name, shape, type, [values]);

    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);

    public long ByteCount => GgmlEncoding.ByteCount(Type, ElementCount);
}

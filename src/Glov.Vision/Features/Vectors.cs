using System.Numerics.Tensors;

namespace Glov.Vision.Features;

/// <summary>The little linear algebra zero-shot classification needs, vectorised by TensorPrimitives.</summary>
public static class Vectors
{
    public static float[] Normalized(ReadOnlySpan<float> v)
    {
        var result = new float[v.Length];
        var norm = TensorPrimitives.Norm(v);
        if (norm > 0)
            TensorPrimitives.Divide(v, norm, result);
        return result;
    }

    public static float[] Mean(IReadOnlyList<float[]> rows)
    {
        var sum = new float[rows[0].Length];
        foreach (var row in rows)
            TensorPrimitives.Add(sum, row, sum);
        TensorPrimitives.Divide(sum, rows.Count, sum);
        return sum;
    }

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.Dot(a, b);
}

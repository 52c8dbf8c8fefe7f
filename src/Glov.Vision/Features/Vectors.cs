namespace Glov.Vision.Features;

/// <summary>The little linear algebra zero-shot classification needs (sums in double).</summary>
public static class Vectors
{
    public static float[] Normalized(ReadOnlySpan<float> v)
    {
        double sum = 0;
        foreach (var x in v)
            sum += (double)x * x;
        var norm = Math.Sqrt(sum);
        var result = new float[v.Length];
        if (norm == 0)
            return result;
        for (var i = 0; i < v.Length; i++)
            result[i] = (float)(v[i] / norm);
        return result;
    }

    public static float[] Mean(IReadOnlyList<float[]> rows)
    {
        var sum = new double[rows[0].Length];
        foreach (var row in rows)
            for (var i = 0; i < sum.Length; i++)
                sum[i] += row[i];
        return sum.Select(s => (float)(s / rows.Count)).ToArray();
    }

    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
            sum += (double)a[i] * b[i];
        return sum;
    }
}

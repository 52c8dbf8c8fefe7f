namespace Glov.Vision.Fixtures;

/// <summary>A seeded generator whose sequence is fixed by its published algorithm, so fixture weights
/// are byte-identical on every machine and .NET version (System.Random promises neither).</summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform values with mean 0 and the given standard deviation.</summary>
    public float[] Uniform(int count, double std)
    {
        var halfWidth = std * Math.Sqrt(3.0);
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
            values[i] = (float)(((Next() >> 11) * (1.0 / (1UL << 53)) * 2.0 - 1.0) * halfWidth);
        return values;
    }
}

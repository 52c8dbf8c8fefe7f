namespace Glov.Core.Proposing;

/// <summary>
/// The offset α·(H(p+) − H(p−)) added to the residual stream after block <see cref="Layer"/>.
/// <see cref="CompoundAlpha"/> reproduces the authors' code, which multiplied by α again at every
/// forward call (offset α^t·d at call t, t counted over the whole step: all candidates' calls in order,
/// not restarted per candidate); it exists only for the "reproduce" profile.
/// </summary>
public sealed record SteeringVector(float[] Direction, float Alpha, int Layer, SteeringMode Mode, bool CompoundAlpha = false)
{
    public float[] Offset()
    {
        var o = new float[Direction.Length];
        for (var i = 0; i < o.Length; i++)
            o[i] = Alpha * Direction[i];
        return o;
    }

    public double Norm
    {
        get
        {
            double s = 0;
            foreach (var d in Direction)
                s += (double)d * d;
            return Math.Abs(Alpha) * Math.Sqrt(s);
        }
    }

    /// <summary>The direction from two block-L embeddings: positive minus negative.</summary>
    public static float[] Difference(float[] positive, float[] negative)
    {
        if (positive.Length != negative.Length)
            throw new ArgumentException($"embedding widths differ: {positive.Length} vs {negative.Length}");
        var d = new float[positive.Length];
        for (var i = 0; i < d.Length; i++)
            d[i] = positive[i] - negative[i];
        return d;
    }

    /// <summary>The paper used block 17 of Llama-3-8B's 32; other depths scale proportionally.</summary>
    public static int DefaultLayer(int layerCount) =>
        Math.Clamp((int)Math.Round(17.0 / 32.0 * layerCount, MidpointRounding.AwayFromZero), 1, Math.Max(1, layerCount - 1));
}

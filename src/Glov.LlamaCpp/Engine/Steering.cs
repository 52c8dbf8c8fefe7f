using Glov.Core;
using Glov.Core.Proposing;

namespace Glov.LlamaCpp.Engine;

/// <summary>Checks a steering request against a model before any decoding.</summary>
public static class Steering
{
    /// <summary>llama.cpp's control vector starts at block 1, and a vector after the last block
    /// would only touch the output norm; so 1..n_layers−1.</summary>
    public static void Validate(LlamaModel model, SteeringVector steering)
    {
        ValidateLayer(model, steering.Layer, "steering layer");
        if (steering.Direction.Length != model.Width)
            throw new GlovUserException($"steering vector: width {steering.Direction.Length} does not match the model's {model.Width} ({model.Path})");
        if (steering.Direction.Any(v => !float.IsFinite(v)) || !float.IsFinite(steering.Alpha))
            throw new GlovUserException("steering vector: contains a non-finite value");
    }

    public static void ValidateLayer(LlamaModel model, int layer, string setting)
    {
        if (layer < 1 || layer > model.LayerCount - 1)
            throw new GlovUserException($"{setting}: {layer} is outside 1..{model.LayerCount - 1} for {model.Path} ({model.LayerCount} blocks)");
    }

    /// <summary>The offset at forward call <paramref name="call"/> of a step (1 = the call that yields the
    /// first candidate's first token; counted on over the candidates in order): α·d, or the authors'
    /// compounding α^call·d in the reproduce profile.</summary>
    public static float[] OffsetAt(SteeringVector steering, int call)
    {
        if (!steering.CompoundAlpha)
            return steering.Offset();
        var scale = MathF.Pow(steering.Alpha, call);
        return steering.Direction.Select(d => scale * d).ToArray();
    }
}

namespace Glov.Core.Proposing;

/// <summary>Per-step sampling seeds derived from the run seed alone, so a resumed run samples
/// exactly what an uninterrupted one would have (SplitMix64 finaliser over seed and step).</summary>
public static class StepSeed
{
    public static ulong Derive(ulong runSeed, int step) => Mix(runSeed + 0x9E3779B97F4A7C15UL * (ulong)(step + 2));

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

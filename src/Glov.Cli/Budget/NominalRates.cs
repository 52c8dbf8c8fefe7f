namespace Glov.Cli.Budget;

/// <summary>
/// The per-unit costs the time estimate uses: documented constants, not timings, so one config always gets
/// the same estimate (a calibration timed on a busy machine once put one config at minutes and at hours).
/// 50 GFLOP/s per CPU core is about half the float32 FMA peak of a current x86-64 core with AVX2; 30 GB/s
/// is a desktop's memory bandwidth. A dense transformer does two operations per parameter per token; a
/// decoder pass over a batch costs the larger of that compute and one read of all weights. Real machines
/// differ from these rates by a factor of two or three either way, and a GPU is far faster.
/// </summary>
public sealed record NominalRates(double FlopsPerSecond, double BytesPerSecond, int Cores)
{
    public const double FlopsPerCore = 50e9;
    public const double MemoryBytesPerSecond = 30e9;

    /// <summary>This machine's cores at the nominal rates.</summary>
    public static NominalRates Cpu { get; } = ForCores(Environment.ProcessorCount);

    public static NominalRates ForCores(int cores) => new(FlopsPerCore * cores, MemoryBytesPerSecond, cores);

    /// <summary>Tokens run through a model together (a prefill, an encoder input): compute-bound.</summary>
    public TimeSpan Tokens(ModelSize model, double tokens) => Seconds(2.0 * model.Parameters * tokens / FlopsPerSecond);

    /// <summary>One decoder pass over <paramref name="rows"/> sequences: compute or one read of the weights.</summary>
    public TimeSpan Pass(ModelSize model, double rows) =>
        Seconds(Math.Max(2.0 * model.Parameters * rows / FlopsPerSecond, model.WeightBytes / BytesPerSecond));

    private static TimeSpan Seconds(double s) => TimeSpan.FromSeconds(s);
}

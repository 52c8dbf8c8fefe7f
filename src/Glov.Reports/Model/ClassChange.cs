namespace Glov.Reports.Model;

/// <summary>One class's test accuracy (percent) under the seed prompt and under the selected ensemble.</summary>
public sealed record ClassChange(string ClassName, double Seed, double Selected, int Images)
{
    /// <summary>Selected minus seed, in points.</summary>
    public double Change => Selected - Seed;
}

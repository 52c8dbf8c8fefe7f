namespace Glov.Cli.Config;

/// <summary>Which published settings the defaults follow (config key <c>profile</c>).</summary>
public enum RunProfile
{
    /// <summary>What the paper states (and our fixes of the authors' code, method.md).</summary>
    Paper,

    /// <summary>What the authors' code and scripts did where they differ from the paper: α multiplied again
    /// at every forward call, 75 new tokens while guided, k = 3 for the generative tasks.</summary>
    Reproduce,
}

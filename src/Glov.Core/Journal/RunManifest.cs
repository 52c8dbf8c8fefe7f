namespace Glov.Core.Journal;

/// <summary>What a run was started with: every resolved setting (canonical JSON), the hash that
/// identifies the configuration, and the run seed. Resume rebuilds the run from this alone.
/// <see cref="Inputs"/> maps each file the run reads (models, few-shot images) to its content
/// fingerprint, so a resume can refuse files that changed.</summary>
public sealed record RunManifest(string ConfigJson, string ConfigHash, ulong Seed, string GlovVersion, DateTimeOffset CreatedAt)
{
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();

    public bool Equals(RunManifest? other) =>
        other is not null && (ConfigJson, ConfigHash, Seed, GlovVersion, CreatedAt) == (other.ConfigJson, other.ConfigHash, other.Seed, other.GlovVersion, other.CreatedAt)
        && Inputs.Count == other.Inputs.Count && Inputs.All(p => other.Inputs.TryGetValue(p.Key, out var v) && v == p.Value);

    public override int GetHashCode() => HashCode.Combine(ConfigHash, Seed, CreatedAt, Inputs.Count);
}

namespace Glov.Core.Journal;

/// <summary>What a run was started with: every resolved setting (canonical JSON), the hash that
/// identifies the configuration, and the run seed. Resume rebuilds the run from this alone.</summary>
public sealed record RunManifest(string ConfigJson, string ConfigHash, ulong Seed, string GlovVersion, DateTimeOffset CreatedAt);

using Glov.Generative.Matching;

namespace Glov.Generative.Tests.Matching;

/// <summary>One MiniLM session for all matching tests: loading 90 MB of weights takes a second.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public OnnxSentenceEncoder Encoder { get; } = OnnxSentenceEncoder.MiniLm();

    public void Dispose() => Encoder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class MiniLmCollection : ICollectionFixture<MiniLmFixture>
{
    public const string Name = "MiniLM";
}

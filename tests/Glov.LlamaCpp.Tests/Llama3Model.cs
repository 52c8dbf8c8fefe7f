using Glov.LlamaCpp.Conversion;
using Glov.LlamaCpp.Engine;
using Glov.LlamaCpp.Gguf;

namespace Glov.LlamaCpp.Tests;

/// <summary>The Llama-3-Instruct-format GGUF at the tiny test shape (32 blocks × 64 wide, the real
/// 128,256-token vocabulary), written once per test run.</summary>
public sealed class Llama3Model : IDisposable
{
    public Llama3Model()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("glov-llama3-tests-");
        GgufPath = Path.Combine(Directory.FullName, "llama3-tiny.gguf");
        Llama3Gguf.Build(SharedAssets.Llama3Tokenizer, Llama3Gguf.ShapeTiny, seed: 1, GgmlType.F16).Write(GgufPath);
    }

    public DirectoryInfo Directory { get; }

    public string GgufPath { get; }

    public LlamaModel Load(LlamaOptions? options = null) => LlamaModel.Load(GgufPath, options ?? new LlamaOptions { Threads = 1 });

    public void Dispose() => Directory.Delete(true);
}

[CollectionDefinition(Name)]
public sealed class Llama3Collection : ICollectionFixture<Llama3Model>
{
    public const string Name = "llama3";
}

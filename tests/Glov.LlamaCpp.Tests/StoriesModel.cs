using Glov.LlamaCpp.Conversion;
using Glov.LlamaCpp.Engine;

namespace Glov.LlamaCpp.Tests;

/// <summary>stories260K converted once per test run with our converter (tiny: milliseconds).</summary>
public sealed class StoriesModel : IDisposable
{
    public StoriesModel()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("glov-llama-tests-");
        var source = SharedAssets.Stories260K;
        CheckpointPath = Path.Combine(source, "stories260K.bin");
        TokenizerPath = Path.Combine(source, "tok512.bin");
        GgufPath = Path.Combine(Directory.FullName, "stories260K.gguf");
        Llama2cConverter.Convert(CheckpointPath, TokenizerPath, GgufPath);
        ChatGgufPath = Path.Combine(Directory.FullName, "stories260K-chatml.gguf");
        Llama2cConverter.Convert(CheckpointPath, TokenizerPath, ChatGgufPath, chatTemplate: "chatml");
    }

    public DirectoryInfo Directory { get; }

    public string CheckpointPath { get; }

    public string TokenizerPath { get; }

    public string GgufPath { get; }

    public string ChatGgufPath { get; }

    public LlamaModel Load(LlamaOptions? options = null) => LlamaModel.Load(GgufPath, options ?? new LlamaOptions { Threads = 1 });

    public void Dispose() => Directory.Delete(true);
}

[CollectionDefinition(Name)]
public sealed class StoriesCollection : ICollectionFixture<StoriesModel>
{
    public const string Name = "stories260K";
}

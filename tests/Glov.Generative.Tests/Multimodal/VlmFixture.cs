using Glov.Generative.Multimodal;
using Glov.LlamaCpp.Conversion;

namespace Glov.Generative.Tests.Multimodal;

/// <summary>stories260K (converted with our converter, chatml template) paired with a tiny random
/// mmproj written by <see cref="ClipProjectorWriter"/>; CIFAR-10 photos as images.</summary>
public sealed class VlmFixture : IDisposable
{
    public VlmFixture()
    {
        Folder = Directory.CreateTempSubdirectory("glov-vlm-tests-").FullName;
        var stories = SharedAssets.Stories260K;
        ModelPath = Path.Combine(Folder, "stories260K-chatml.gguf");
        Llama2cConverter.Convert(Path.Combine(stories, "stories260K.bin"), Path.Combine(stories, "tok512.bin"), ModelPath, chatTemplate: "chatml");
        ProjectorPath = Path.Combine(Folder, "mmproj-tiny.gguf");
        ClipProjectorWriter.Write(ProjectorPath, ClipProjectorShape.Tiny, seed: 1);
        Answerer = MtmdAnswerer.Load(ModelPath, ProjectorPath, new VlmOptions { Threads = 2, BatchSize = 4, ContextSize = 512 });
    }

    public string Folder { get; }

    public string ModelPath { get; }

    public string ProjectorPath { get; }

    public MtmdAnswerer Answerer { get; }

    public static string Cifar(string cls, int index) =>
        Path.Combine(SharedAssets.Require(Path.Combine("datasets", "cifar10")), "train", cls, $"{index:0000}.jpg");

    public void Dispose()
    {
        Answerer.Dispose();
        Directory.Delete(Folder, true);
    }
}

[CollectionDefinition(Name)]
public sealed class VlmCollection : ICollectionFixture<VlmFixture>
{
    public const string Name = "stories260K VLM";
}

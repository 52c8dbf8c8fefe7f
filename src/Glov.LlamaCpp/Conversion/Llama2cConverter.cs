using Glov.LlamaCpp.Gguf;

namespace Glov.LlamaCpp.Conversion;

/// <summary><c>glov convert llama2c</c>: a llama2.c checkpoint and tokenizer → a llama GGUF (F32).</summary>
public static class Llama2cConverter
{
    public static GgufWriter ToGguf(string checkpointPath, string tokenizerPath, string? chatTemplate = null)
    {
        var checkpoint = Llama2cCheckpoint.Read(checkpointPath);
        var tokenizer = Llama2cTokenizer.Read(tokenizerPath, checkpoint.HyperParameters.VocabSize);
        var name = Path.GetFileNameWithoutExtension(checkpointPath);
        return LlamaGguf.Build(name, checkpoint.HyperParameters, tokenizer.ToVocabulary(), checkpoint, GgmlType.F32, chatTemplate);
    }

    public static void Convert(string checkpointPath, string tokenizerPath, string outputPath, string? chatTemplate = null) =>
        ToGguf(checkpointPath, tokenizerPath, chatTemplate).Write(outputPath);
}

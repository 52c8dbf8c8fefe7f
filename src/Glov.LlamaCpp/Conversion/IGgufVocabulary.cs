using Glov.LlamaCpp.Gguf;

namespace Glov.LlamaCpp.Conversion;

/// <summary>A tokenizer as a GGUF stores it (the <c>tokenizer.ggml.*</c> keys).</summary>
public interface IGgufVocabulary
{
    int Count { get; }

    void WriteTo(GgufWriter gguf);
}

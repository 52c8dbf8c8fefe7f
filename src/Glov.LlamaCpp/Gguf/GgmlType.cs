namespace Glov.LlamaCpp.Gguf;

/// <summary>The tensor encodings the writer can produce, numbered as ggml numbers them.</summary>
public enum GgmlType : uint
{
    F32 = 0,
    F16 = 1,
    Q8_0 = 8,
}

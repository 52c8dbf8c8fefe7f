using System.Text;

namespace Glov.LlamaCpp.Engine;

/// <summary>Turns tokens into text, joining the bytes first so that multi-byte characters split
/// across byte tokens decode correctly.</summary>
internal sealed class StreamingDetokenizer(LlamaModel model)
{
    private readonly List<byte> _bytes = [];

    public void Add(int token) => _bytes.AddRange(model.PieceBytes(token));

    public string Text => Encoding.UTF8.GetString(_bytes.ToArray());
}

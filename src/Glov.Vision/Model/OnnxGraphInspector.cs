using Google.Protobuf;
using Onnx;

namespace Glov.Vision.Model;

/// <summary>Reads facts from an ONNX file that the runtime's metadata does not expose.</summary>
internal static class OnnxGraphInspector
{
    /// <summary>Rows of the embedding table that input_ids index (the model's vocabulary size), when the
    /// graph gathers from a constant table directly; null when it cannot tell.</summary>
    public static int? EmbeddingRows(string path, string inputIds)
    {
        ModelProto model;
        try
        {
            using var file = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(file);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name);
        foreach (var node in model.Graph.Node.Where(n => n.OpType == "Gather" && n.Input.Count == 2 && n.Input[1] == inputIds))
            if (initializers.TryGetValue(node.Input[0], out var table) && table.Dims.Count == 2)
                return checked((int)table.Dims[0]);
        return null;
    }
}

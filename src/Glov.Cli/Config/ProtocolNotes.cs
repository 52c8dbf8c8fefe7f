using System.Text.Json.Nodes;

namespace Glov.Cli.Config;

/// <summary>Where a run departs from the published protocol only because of what ships here; said at the
/// start of the run and at the top of its report, both read from the resolved config.</summary>
public static class ProtocolNotes
{
    public static IReadOnlyList<string> For(JsonObject resolved)
    {
        var notes = new List<string>();
        if (resolved["fitness"] is JsonObject fitness && (string?)fitness["kind"] == "vlm-generative" && fitness["encoder"] is null)
            notes.Add("Answers are matched to classes with the bundled all-MiniLM-L6-v2 sentence encoder, because it is what ships here; "
                      + "the authors used all-mpnet-base-v2 (set fitness.encoder to its sentence-transformers ONNX folder).");
        return notes;
    }
}

using Glov.Core;

namespace Glov.Vision.Model;

/// <summary>Finds the files of a Hugging Face / transformers.js CLIP-family export: separate
/// <c>text_model.onnx</c> and <c>vision_model.onnx</c> or one <c>model.onnx</c>, in <c>onnx/</c> or at the
/// top; the tokenizer and configs at the top.</summary>
public sealed record ModelFolder(string Root, string? TextModel, string? VisionModel, string? CombinedModel)
{
    public string PreprocessorConfig => Path.Combine(Root, "preprocessor_config.json");

    public string Config => Path.Combine(Root, "config.json");

    public static ModelFolder Find(string root)
    {
        if (!Directory.Exists(root))
            throw new GlovUserException($"{root}: model folder not found");
        string? Locate(string name) => new[] { Path.Combine(root, "onnx", name), Path.Combine(root, name) }.FirstOrDefault(File.Exists);
        var text = Locate("text_model.onnx");
        var vision = Locate("vision_model.onnx");
        var combined = Locate("model.onnx");
        if (text is not null && vision is not null)
            return new ModelFolder(root, text, vision, null);
        if (combined is not null)
            return new ModelFolder(root, null, null, combined);
        throw new GlovUserException(text is not null || vision is not null
            ? $"{root}: found {(text is null ? "vision_model.onnx" : "text_model.onnx")} but not its partner; both towers are needed (or one model.onnx)"
            : $"{root}: no onnx/text_model.onnx + onnx/vision_model.onnx and no onnx/model.onnx");
    }
}

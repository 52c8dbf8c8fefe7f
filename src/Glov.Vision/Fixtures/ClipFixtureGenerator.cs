using System.Text.Json;
using Glov.Vision.Tokenization;
using Google.Protobuf;
using Onnx;

namespace Glov.Vision.Fixtures;

/// <summary>
/// Writes a random-weight CLIP-style dual encoder in the Hugging Face / transformers.js export layout:
/// <c>onnx/text_model.onnx</c> (input_ids, attention_mask → text_embeds, last_hidden_state) and
/// <c>onnx/vision_model.onnx</c> (pixel_values → image_embeds, last_hidden_state), or one
/// <c>onnx/model.onnx</c>; tokenizer.json, vocab.json, merges.txt, preprocessor_config.json, config.json.
/// The same options and seed always give byte-identical files.
/// </summary>
public static class ClipFixtureGenerator
{
    private static readonly float[] Mean = [0.48145466f, 0.4578275f, 0.40821073f];
    private static readonly float[] Std = [0.26862954f, 0.26130258f, 0.27577711f];

    public static void Write(string folder, ClipFixtureOptions options)
    {
        var vocabulary = ClipVocabulary.FromOriginalMerges(options.BpeMergesPath);
        var shape = FixtureShape.Of(options.Size);
        Directory.CreateDirectory(Path.Combine(folder, "onnx"));
        var random = new SplitMix64(options.Seed);

        if (options.Combined)
            Save(Path.Combine(folder, "onnx", "model.onnx"), Combined(shape, vocabulary.Count, options, random));
        else
        {
            Save(Path.Combine(folder, "onnx", "text_model.onnx"), TextModel(shape, vocabulary.Count, options, random));
            if (!options.TextOnly)
                Save(Path.Combine(folder, "onnx", "vision_model.onnx"), VisionModel(shape, random));
        }
        TokenizerFiles.Write(folder, vocabulary, shape.ContextLength);
        WriteJson(Path.Combine(folder, "preprocessor_config.json"), w =>
        {
            w.WriteNumber("crop_size", shape.ImageSize);
            w.WriteBoolean("do_center_crop", true);
            w.WriteBoolean("do_convert_rgb", true);
            w.WriteBoolean("do_normalize", true);
            w.WriteBoolean("do_rescale", true);
            w.WriteBoolean("do_resize", true);
            w.WriteString("image_processor_type", "CLIPImageProcessor");
            WriteArray(w, "image_mean", Mean);
            WriteArray(w, "image_std", Std);
            w.WriteNumber("resample", 3);
            w.WriteNumber("rescale_factor", 1.0 / 255);
            w.WriteStartObject("size");
            w.WriteNumber("shortest_edge", shape.ImageSize);
            w.WriteEndObject();
        });
        WriteJson(Path.Combine(folder, "config.json"), w =>
        {
            w.WriteString("model_type", "clip");
            w.WriteString("_glov_fixture", $"random weights, size {options.Size}, seed {options.Seed}");
            w.WriteNumber("projection_dim", shape.ProjectionDim);
            w.WriteStartObject("text_config");
            w.WriteNumber("vocab_size", vocabulary.Count);
            w.WriteNumber("max_position_embeddings", shape.ContextLength);
            w.WriteNumber("hidden_size", shape.Text.Width);
            w.WriteNumber("num_hidden_layers", shape.Text.Layers);
            w.WriteNumber("num_attention_heads", shape.Text.Heads);
            w.WriteNumber("bos_token_id", vocabulary.StartId);
            w.WriteNumber("eos_token_id", vocabulary.EndId);
            w.WriteEndObject();
            w.WriteStartObject("vision_config");
            w.WriteNumber("image_size", shape.ImageSize);
            w.WriteNumber("patch_size", shape.PatchSize);
            w.WriteNumber("hidden_size", shape.Vision.Width);
            w.WriteNumber("num_hidden_layers", shape.Vision.Layers);
            w.WriteNumber("num_attention_heads", shape.Vision.Heads);
            w.WriteEndObject();
        });
    }

    private static ModelProto TextModel(FixtureShape shape, int vocabulary, ClipFixtureOptions options, SplitMix64 random)
    {
        var g = new OnnxGraphBuilder();
        var text = new ClipTowerGraphs(g, random).Text(shape.Text, vocabulary, shape.ContextLength, shape.ProjectionDim, options.AttentionMask);
        object sequence = options.DynamicSequence ? "sequence_length" : shape.ContextLength;
        g.Input("input_ids", TensorProto.Types.DataType.Int64, "batch_size", sequence);
        if (options.AttentionMask)
            g.Input("attention_mask", TensorProto.Types.DataType.Int64, "batch_size", sequence);
        g.Rename(text.Embeds, "text_embeds");
        g.Rename(text.LastHiddenState, "last_hidden_state");
        g.Output("text_embeds", TensorProto.Types.DataType.Float, "batch_size", shape.ProjectionDim);
        g.Output("last_hidden_state", TensorProto.Types.DataType.Float, "batch_size", sequence, shape.Text.Width);
        return g.ToModel();
    }

    private static ModelProto VisionModel(FixtureShape shape, SplitMix64 random)
    {
        var g = new OnnxGraphBuilder();
        var vision = new ClipTowerGraphs(g, random).Vision(shape.Vision, shape.ImageSize, shape.PatchSize, shape.ProjectionDim);
        g.Input("pixel_values", TensorProto.Types.DataType.Float, "batch_size", 3, shape.ImageSize, shape.ImageSize);
        g.Rename(vision.Embeds, "image_embeds");
        g.Rename(vision.LastHiddenState, "last_hidden_state");
        g.Output("image_embeds", TensorProto.Types.DataType.Float, "batch_size", shape.ProjectionDim);
        g.Output("last_hidden_state", TensorProto.Types.DataType.Float, "batch_size", (shape.ImageSize / shape.PatchSize) * (shape.ImageSize / shape.PatchSize) + 1, shape.Vision.Width);
        return g.ToModel();
    }

    /// <summary>CLIPModel's single-file export: both towers, normalised embeddings and the logit matrices.</summary>
    private static ModelProto Combined(FixtureShape shape, int vocabulary, ClipFixtureOptions options, SplitMix64 random)
    {
        var g = new OnnxGraphBuilder();
        var towers = new ClipTowerGraphs(g, random);
        g.Prefix = "text_model.";
        var text = towers.Text(shape.Text, vocabulary, shape.ContextLength, shape.ProjectionDim, options.AttentionMask);
        g.Prefix = "vision_model.";
        var vision = towers.Vision(shape.Vision, shape.ImageSize, shape.PatchSize, shape.ProjectionDim);
        g.Prefix = "";
        var textNormalised = g.Op("LpNormalization", [text.Embeds], ("axis", -1), ("p", 2));
        var imageNormalised = g.Op("LpNormalization", [vision.Embeds], ("axis", -1), ("p", 2));
        var logits = g.Op("Mul", [g.Op("MatMul", [imageNormalised, g.Op("Transpose", [textNormalised], ("perm", new long[] { 1, 0 }))]), g.Scalar("logit_scale", 100f)]);
        var logitsPerText = g.Op("Transpose", [logits], ("perm", new long[] { 1, 0 }));
        object sequence = options.DynamicSequence ? "sequence_length" : shape.ContextLength;
        g.Input("input_ids", TensorProto.Types.DataType.Int64, "text_batch_size", sequence);
        g.Input("pixel_values", TensorProto.Types.DataType.Float, "image_batch_size", 3, shape.ImageSize, shape.ImageSize);
        if (options.AttentionMask)
            g.Input("attention_mask", TensorProto.Types.DataType.Int64, "text_batch_size", sequence);
        g.Rename(logits, "logits_per_image");
        g.Rename(logitsPerText, "logits_per_text");
        g.Rename(textNormalised, "text_embeds");
        g.Rename(imageNormalised, "image_embeds");
        g.Output("logits_per_image", TensorProto.Types.DataType.Float, "image_batch_size", "text_batch_size");
        g.Output("logits_per_text", TensorProto.Types.DataType.Float, "text_batch_size", "image_batch_size");
        g.Output("text_embeds", TensorProto.Types.DataType.Float, "text_batch_size", shape.ProjectionDim);
        g.Output("image_embeds", TensorProto.Types.DataType.Float, "image_batch_size", shape.ProjectionDim);
        return g.ToModel();
    }

    private static void Save(string path, ModelProto model)
    {
        using var file = File.Create(path);
        model.WriteTo(file);
    }

    internal static void WriteJson(string path, Action<Utf8JsonWriter> body)
    {
        using var file = File.Create(path);
        using var w = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        body(w);
        w.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter w, string name, float[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
            w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}

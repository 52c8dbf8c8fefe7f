using System.CommandLine;
using Glov.Core;
using Glov.Generative.Multimodal;
using Glov.LlamaCpp.Gguf;
using Glov.Vision.Fixtures;

namespace Glov.Cli.Commands;

/// <summary><c>glov fixture clip OUT</c>: writes the deterministic random-weight CLIP stand-in (real CLIP
/// vocabulary) in the Hugging Face ONNX export layout, for demos and tests where no real model exists.</summary>
public static class FixtureCommand
{
    public static Command Create(TextWriter stdout)
    {
        var output = new Argument<string>("folder") { Description = "Folder to write the model into" };
        var merges = new Option<string>("--bpe") { Description = "CLIP's merges file (bpe_simple_vocab_16e6.txt.gz)", Required = true };
        var size = new Option<FixtureSize>("--size") { Description = "tiny (unit-test speed) or vitb32 (ViT-B/32 shapes)", DefaultValueFactory = _ => FixtureSize.Tiny };
        var clip = new Command("clip", "Write a random-weight CLIP stand-in (its accuracies mean nothing)") { output, merges, size };
        clip.SetAction(parse =>
        {
            var folder = Path.GetFullPath(parse.GetRequiredValue(output));
            ClipFixtureGenerator.Write(folder, new ClipFixtureOptions(Path.GetFullPath(parse.GetRequiredValue(merges)), parse.GetValue(size)));
            stdout.WriteLine($"written  {folder}");
            return 0;
        });
        return new Command("fixture", "Write stand-in models for demos and tests") { clip, Mmproj(stdout) };
    }

    /// <summary><c>glov fixture mmproj OUT.gguf --width 64</c>: a random-weight LLaVA-style vision projector
    /// (CLIP ViT + MLP, llama.cpp's "mlp" type) whose output width matches a language model's embedding
    /// width, so any GGUF LLM (stories260K: 64) becomes a stand-in VLM.</summary>
    private static Command Mmproj(TextWriter stdout)
    {
        var output = new Argument<string>("file") { Description = "mmproj GGUF file to write" };
        var width = new Option<int>("--width") { Description = "The language model's embedding width (stories260K: 64)", DefaultValueFactory = _ => 64 };
        var size = new Option<string>("--size") { Description = "tiny (32 px, 16 image tokens) or vitb16 (CLIP ViT-B/16 at 224 px, 196 image tokens, F16)", DefaultValueFactory = _ => "tiny" };
        var seed = new Option<int>("--seed") { Description = "Weight seed", DefaultValueFactory = _ => 1 };
        var command = new Command("mmproj", "Write a random-weight vision projector GGUF (its answers mean nothing)") { output, width, size, seed };
        command.SetAction(parse =>
        {
            var w = parse.GetValue(width);
            if (w < 1)
                throw new GlovUserException($"--width: must be positive, got {w}");
            var (shape, type) = parse.GetValue(size) switch
            {
                "tiny" => (ClipProjectorShape.Tiny with { OutputWidth = w, ProjectorHidden = w }, GgmlType.F32),
                "vitb16" => (ClipProjectorShape.VitB16(w), GgmlType.F16),
                var other => throw new GlovUserException($"--size: '{other}' is not tiny or vitb16"),
            };
            var file = Path.GetFullPath(parse.GetRequiredValue(output));
            ClipProjectorWriter.Write(file, shape, parse.GetValue(seed), type);
            stdout.WriteLine($"written  {file}");
            return 0;
        });
        return command;
    }
}

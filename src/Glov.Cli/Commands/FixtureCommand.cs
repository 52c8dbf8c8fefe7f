using System.CommandLine;
using Glov.Core;
using Glov.Generative.Multimodal;
using Glov.Core.Templates;
using Glov.LlamaCpp.Gguf;
using Glov.LlamaCpp.StandIn;

namespace Glov.Cli.Commands;

/// <summary><c>glov fixture …</c>: stand-in models for demos and tests where no real model exists. CLIP
/// stand-ins are written by <c>glov vlm make-fixture</c>, beside the other CLIP commands.</summary>
public static class FixtureCommand
{
    public static Command Create(TextWriter stdout) =>
        new("fixture", "Write stand-in models for demos and tests") { Llm(stdout), Mmproj(stdout) };

    /// <summary><c>glov fixture llm OUT.gguf --corpus data/templates</c>: the stand-in optimizer LLM, a word
    /// bigram model of a template corpus in a llama-architecture GGUF (<see cref="BigramStandIn"/>).</summary>
    private static Command Llm(TextWriter stdout)
    {
        var output = new Argument<string>("file") { Description = "GGUF file to write" };
        var corpus = new Option<string[]>("--corpus")
        {
            Description = "Template files (one template a line, {} for the class name) or folders of *.txt files",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("llm", "Write a stand-in optimizer LLM: a word bigram model of prompt templates (it writes templates, it understands nothing)") { output, corpus };
        command.SetAction(parse =>
        {
            var files = parse.GetRequiredValue(corpus).SelectMany(CorpusFiles).ToList();
            var model = BigramStandIn.FromTemplates(files.SelectMany(TemplateFile.Load));
            var file = OutputFile.Prepare(parse.GetRequiredValue(output));
            model.ToGguf("bigram-stand-in").Write(file);
            stdout.WriteLine($"written  {file} ({model.Vocabulary.Count} tokens, from {files.Count} template file(s))");
            return 0;
        });
        return command;
    }

    private static IEnumerable<string> CorpusFiles(string path) =>
        Directory.Exists(path) ? Directory.GetFiles(path, "*.txt").Order(StringComparer.Ordinal)
        : File.Exists(path) ? [path]
        : throw new GlovUserException($"--corpus: {path} is neither a file nor a folder");

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
            var file = OutputFile.Prepare(parse.GetRequiredValue(output));
            ClipProjectorWriter.Write(file, shape, parse.GetValue(seed), type);
            stdout.WriteLine($"written  {file}");
            return 0;
        });
        return command;
    }
}

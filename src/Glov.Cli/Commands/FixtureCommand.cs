using System.CommandLine;
using Glov.Catalog;
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
        new("fixture", "Write stand-in models and datasets for demos and tests") { Llm(stdout), Mmproj(stdout), Llama3(stdout), Datasets(stdout) };

    /// <summary><c>glov fixture datasets ROOT [NAME…] --per-class 4</c>: catalog datasets in their real layout with
    /// tiny generated images, so <c>glov datasets check</c> and <c>dataset: {name:, root:}</c> configs run anywhere.</summary>
    private static Command Datasets(TextWriter stdout)
    {
        var root = new Argument<string>("root") { Description = "Data root to write the dataset folders into" };
        var names = new Argument<string[]>("name") { Description = "Catalog datasets to write (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var perClass = new Option<int>("--per-class") { Description = "Images per class, spread over the splits", DefaultValueFactory = _ => 4 };
        var seed = new Option<int>("--seed") { Description = "Image seed", DefaultValueFactory = _ => 0 };
        var command = new Command("datasets", "Write catalog datasets in their real on-disk layout with tiny generated images") { root, names, perClass, seed };
        command.SetAction(parse =>
        {
            var n = parse.GetValue(perClass);
            if (n < 1)
                throw new GlovUserException($"--per-class: must be positive, got {n}");
            var requested = parse.GetValue(names) is { Length: > 0 } given ? given.Select(DatasetCatalog.Find).ToList() : DatasetCatalog.All;
            var folder = Path.GetFullPath(parse.GetRequiredValue(root));
            CatalogFixture.Write(folder, requested, n, parse.GetValue(seed));
            foreach (var entry in requested)
                stdout.WriteLine($"written  {entry.PathUnder(folder)}");
            return 0;
        });
        return command;
    }

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
            var temporary = file + ".partial";
            model.ToGguf("bigram-stand-in").Write(temporary);
            File.Move(temporary, file, overwrite: true);
            stdout.WriteLine($"written  {file} ({model.Vocabulary.Count} tokens, from {files.Count} template file(s))");
            return 0;
        });
        return command;
    }

    /// <summary><c>glov fixture llama3 OUT.gguf --tokenizer tokenizer.model --shape tiny --type q4_k_m</c>: a
    /// Llama-3-Instruct-format GGUF (real tokenizer, special tokens, chat template) with random weights.
    /// K-quants and Q8_0 come from llama.cpp's own quantizer, run on an F16 file.</summary>
    private static Command Llama3(TextWriter stdout)
    {
        var output = new Argument<string>("file") { Description = "GGUF file to write" };
        var tokenizer = new Option<string>("--tokenizer") { Description = "Meta's Llama 3 tokenizer.model (tiktoken ranks)", Required = true };
        var shape = new Option<string>("--shape") { Description = "tiny (32 blocks × 64 wide: tests), 0.5b, or 8b (Meta-Llama-3-8B's shape)", DefaultValueFactory = _ => "tiny" };
        var width = new Option<int?>("--width") { Description = "Override the shape's width" };
        var heads = new Option<int?>("--heads") { Description = "Override the shape's attention heads" };
        var kvHeads = new Option<int?>("--kv-heads") { Description = "Override the shape's KV heads" };
        var blocks = new Option<int?>("--blocks") { Description = "Override the shape's block count" };
        var ffn = new Option<int?>("--ffn") { Description = "Override the shape's feed-forward width" };
        var type = new Option<string>("--type") { Description = "f32, f16, q8_0 or q4_k_m", DefaultValueFactory = _ => "f16" };
        var seed = new Option<int>("--seed") { Description = "Weight seed", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "Quantizer threads (default: all cores)" };
        var command = new Command("llama3", "Write a Llama-3-Instruct-format GGUF: the real tokenizer and chat template, random weights (its text means nothing)")
        {
            output, tokenizer, shape, width, heads, kvHeads, blocks, ffn, type, seed, threads,
        };
        command.SetAction(parse =>
        {
            var named = Glov.LlamaCpp.Conversion.Llama3Gguf.NamedShape(parse.GetRequiredValue(shape));
            var hp = named with
            {
                Dim = parse.GetValue(width) ?? named.Dim,
                Heads = parse.GetValue(heads) ?? named.Heads,
                KvHeads = parse.GetValue(kvHeads) ?? named.KvHeads,
                Layers = parse.GetValue(blocks) ?? named.Layers,
                HiddenDim = parse.GetValue(ffn) ?? named.HiddenDim,
            };
            var (written, quantized) = parse.GetRequiredValue(type) switch
            {
                "f32" => (GgmlType.F32, (LLama.Native.LLamaFtype?)null),
                "f16" => (GgmlType.F16, null),
                "q8_0" => (GgmlType.F16, LLama.Native.LLamaFtype.MOSTLY_Q8_0),
                "q4_k_m" => (GgmlType.F16, LLama.Native.LLamaFtype.MOSTLY_Q4_K_M),
                var other => throw new GlovUserException($"--type: '{other}' is not f32, f16, q8_0 or q4_k_m"),
            };
            var t = parse.GetValue(threads) ?? Environment.ProcessorCount;
            if (t < 1)
                throw new GlovUserException($"--threads: must be positive, got {t}");
            var gguf = Glov.LlamaCpp.Conversion.Llama3Gguf.Build(parse.GetRequiredValue(tokenizer), hp, parse.GetValue(seed), written);
            var file = OutputFile.Prepare(parse.GetRequiredValue(output));
            var temporary = file + ".partial";
            try
            {
                gguf.Write(temporary);
                if (quantized is { } q)
                {
                    var f16 = temporary + ".f16";
                    File.Move(temporary, f16, overwrite: true);
                    try
                    {
                        Glov.LlamaCpp.Conversion.Llama3Gguf.Quantize(f16, temporary, q, t);
                    }
                    finally
                    {
                        File.Delete(f16);
                    }
                }
                File.Move(temporary, file, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }
            stdout.WriteLine($"written  {file}");
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

using System.CommandLine;
using System.Globalization;
using Glov.Core;
using Glov.Core.Devices;
using Glov.Core.Proposing;
using Glov.Core.Text;
using Glov.LlamaCpp.Engine;

namespace Glov.Cli.Commands;

/// <summary><c>glov llm generate</c>, <c>embed</c> and <c>tokenize</c>: try a GGUF model, its chat template and a steering pair by hand.</summary>
internal static class LlmCommands
{
    public static Command Create(TextWriter stdout, TextWriter stderr) =>
        new("llm", "Try a GGUF model: generate text (optionally steered), embed text, tokenize text") { Generate(stdout, stderr), Embed(stdout, stderr), Tokenize(stdout) };

    private static Option<string> ModelOption() => new("--model") { Description = "GGUF model file", Required = true };

    private static Option<int?> ThreadsOption() => new("--threads") { Description = "CPU threads (default: all cores)" };

    private static Option<string> DeviceOption() => new("--device")
    {
        Description = $"Where the model runs: {DeviceSetting.Choices} (default auto; a GPU needs a CUDA build of llama.cpp in ${LlamaLibrary.EnvironmentVariable})",
        DefaultValueFactory = _ => "auto",
    };

    private static Option<int?> GpuLayersOption() => new("--gpu-layers") { Description = "Blocks offloaded on a GPU (default all)" };

    /// <summary>Loads the model where --device says (the caller tells stderr where it runs, once it computes).</summary>
    private static LlamaModel Load(ParseResult parse, Option<string> model, Option<int?> threads, Option<string> device, Option<int?> gpuLayers,
        string? chatTemplate = null)
    {
        var text = parse.GetRequiredValue(device);
        var setting = DeviceSetting.TryParse(text) ?? throw new GlovUserException($"--device: '{text}' is not one of {DeviceSetting.Choices}");
        var llm = LlamaModel.Load(parse.GetRequiredValue(model), new LlamaOptions
        {
            Threads = parse.GetValue(threads),
            ChatTemplate = chatTemplate,
            Device = setting,
            DeviceKey = "--device",
            GpuLayers = parse.GetValue(gpuLayers) is { } n ? n >= 0 ? n : throw new GlovUserException($"--gpu-layers: must not be negative, got {n}") : null,
        });
        return llm;
    }

    private static Command Generate(TextWriter stdout, TextWriter stderr)
    {
        var model = ModelOption();
        var threads = ThreadsOption();
        var device = DeviceOption();
        var gpuLayers = GpuLayersOption();
        var prompt = new Option<string>("--prompt") { Description = "The user message (or, with --raw, the text to continue)", Required = true };
        var system = new Option<string?>("--system") { Description = "A system message before the user message" };
        var showPrompt = new Option<bool>("--show-prompt") { Description = "Print the prompt exactly as the model receives it (chat template applied, special tokens spelled out) instead of generating" };
        var maxTokens = new Option<int>("--max-tokens") { Description = "New-token limit", DefaultValueFactory = _ => 50 };
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy", DefaultValueFactory = _ => 1.0 };
        var topP = new Option<double>("--top-p") { DefaultValueFactory = _ => 0.9 };
        var topK = new Option<int>("--top-k") { Description = "0 = off", DefaultValueFactory = _ => 50 };
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => 0 };
        var raw = new Option<bool>("--raw") { Description = "No chat template: continue the prompt text" };
        var chatTemplate = new Option<string?>("--chat-template") { Description = "Template when the model has none (Jinja or a llama.cpp name such as chatml)" };
        var positive = new Option<string?>("--steer-positive") { Description = "Text whose block-L embedding the output is pushed towards" };
        var negative = new Option<string?>("--steer-negative") { Description = "Text whose block-L embedding the output is pushed away from" };
        var layer = new Option<int?>("--layer") { Description = "Steering block (default round(17/32 · blocks))" };
        var alpha = new Option<float>("--alpha") { DefaultValueFactory = _ => 1f };
        var mode = SnakeCaseOption("--steer-mode", "How the offset is applied (docs/llm.md, Steering)", SteeringMode.Exact);
        var command = new Command("generate", "Print one completion (only the completion goes to stdout)")
        {
            model, threads, device, gpuLayers, prompt, system, showPrompt, maxTokens, temperature, topP, topK, seed, raw, chatTemplate, positive, negative, layer, alpha, mode,
        };
        command.SetAction(parse =>
        {
            using var llm = Load(parse, model, threads, device, gpuLayers, parse.GetValue(chatTemplate));
            var text = parse.GetRequiredValue(prompt);
            ChatMessage[] chat = parse.GetValue(system) is { } sys
                ? [new ChatMessage(ChatRole.System, sys), new ChatMessage(ChatRole.User, text)]
                : [new ChatMessage(ChatRole.User, text)];
            var tokens = parse.GetValue(raw) ? llm.Tokenize(text, addBos: true) : llm.TokenizeChat(ChatFormatter.Format(llm, chat));
            if (parse.GetValue(showPrompt))
            {
                stdout.Write(llm.Render(tokens));
                stdout.Flush();
                return;
            }
            stderr.WriteLine($"device   {llm.Device}");
            var steering = Steering(llm, parse.GetValue(positive), parse.GetValue(negative), parse.GetValue(layer), parse.GetValue(alpha), FromSnakeCase<SteeringMode>(parse.GetRequiredValue(mode)), stderr);
            var sampling = new SamplingSettings
            {
                MaxNewTokens = parse.GetValue(maxTokens),
                Temperature = parse.GetValue(temperature),
                TopP = parse.GetValue(topP),
                TopK = parse.GetValue(topK),
                Seed = parse.GetValue(seed),
            };
            using var generator = new LlamaGenerator(llm);
            stdout.WriteLine(TerminalText.SafeMultiline(generator.Generate(tokens, 1, sampling, steering).Single().Text));
        });
        return command;
    }

    private static SteeringVector? Steering(LlamaModel llm, string? positive, string? negative, int? layer, float alpha, SteeringMode mode, TextWriter stderr)
    {
        if (positive is null && negative is null)
            return null;
        if (positive is null || negative is null)
            throw new GlovUserException("--steer-positive and --steer-negative: give both or neither");
        var l = layer ?? SteeringVector.DefaultLayer(llm.LayerCount);
        LlamaCpp.Engine.Steering.ValidateLayer(llm, l, "--layer");
        using var embedder = new LlamaEmbedder(llm);
        var vector = new SteeringVector(SteeringVector.Difference(embedder.Embed(positive, l), embedder.Embed(negative, l)), alpha, l, mode);
        stderr.WriteLine(FormattableString.Invariant($"steering: layer {l}, mode {mode.ToString().ToLowerInvariant()}, |v| = {vector.Norm:G4}"));
        return vector;
    }

    private static Command Tokenize(TextWriter stdout)
    {
        var model = ModelOption();
        var special = new Option<bool>("--special") { Description = "Parse special-token text such as <|eot_id|> as those tokens (otherwise it is plain text)" };
        var noBos = new Option<bool>("--no-bos") { Description = "Do not add the model's BOS token" };
        var text = new Argument<string>("text");
        var command = new Command("tokenize", "Print the token ids of a text, space-separated on one line") { model, special, noBos, text };
        command.SetAction(parse =>
        {
            // Tokenizing needs the vocabulary only: no reason to place weights on a GPU.
            using var llm = LlamaModel.Load(parse.GetRequiredValue(model), new LlamaOptions { Threads = 1, Device = DeviceSetting.Cpu });
            var ids = llm.Tokenize(parse.GetRequiredValue(text), addBos: !parse.GetValue(noBos), parseSpecial: parse.GetValue(special));
            stdout.WriteLine(string.Join(' ', ids));
        });
        return command;
    }

    private static Command Embed(TextWriter stdout, TextWriter stderr)
    {
        var model = ModelOption();
        var threads = ThreadsOption();
        var device = DeviceOption();
        var gpuLayers = GpuLayersOption();
        var layer = new Option<int>("--layer") { Description = "Block whose output residual is mean-pooled (0-based)", Required = true };
        var text = new Argument<string>("text");
        var command = new Command("embed", "Print the block-L embedding of a text (mean over its tokens without BOS), one line of floats") { model, threads, device, gpuLayers, layer, text };
        command.SetAction(parse =>
        {
            using var llm = Load(parse, model, threads, device, gpuLayers);
            stderr.WriteLine($"device   {llm.Device}");
            using var embedder = new LlamaEmbedder(llm);
            var values = embedder.Embed(parse.GetRequiredValue(text), parse.GetValue(layer));
            stdout.WriteLine(string.Join(' ', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        });
        return command;
    }

    /// <summary>An enum option spelled as the docs and configs spell it (snake case): help lists the values and
    /// the default that way, and a wrong value is refused with that list, never a .NET type name.</summary>
    private static Option<string> SnakeCaseOption<T>(string name, string description, T fallback) where T : struct, Enum
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => Config.ConfigSection.Snake(fallback) };
        option.AcceptOnlyFromAmong(Enum.GetValues<T>().Select(Config.ConfigSection.Snake).ToArray());
        return option;
    }

    private static T FromSnakeCase<T>(string text) where T : struct, Enum =>
        Enum.GetValues<T>().First(v => Config.ConfigSection.Snake(v) == text);
}

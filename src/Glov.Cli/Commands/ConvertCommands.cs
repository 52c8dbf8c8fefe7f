using System.CommandLine;
using Glov.LlamaCpp.Conversion;

namespace Glov.Cli.Commands;

/// <summary><c>glov convert llama2c model.bin tokenizer.bin out.gguf</c>.</summary>
internal static class ConvertCommands
{
    public static Command Create(TextWriter stdout)
    {
        var model = new Argument<string>("model.bin") { Description = "llama2.c checkpoint" };
        var tokenizer = new Argument<string>("tokenizer.bin") { Description = "llama2.c tokenizer" };
        var output = new Argument<string>("out.gguf") { Description = "GGUF file to write" };
        var template = new Option<string?>("--chat-template") { Description = "Embed a chat template (a Jinja template or a llama.cpp built-in name such as chatml); llama2.c models have none" };
        var llama2c = new Command("llama2c", "Convert a llama2.c checkpoint and tokenizer to a llama GGUF (F32)") { model, tokenizer, output, template };
        llama2c.SetAction(parse =>
        {
            var outPath = parse.GetRequiredValue(output);
            Llama2cConverter.Convert(parse.GetRequiredValue(model), parse.GetRequiredValue(tokenizer), OutputFile.Prepare(outPath), parse.GetValue(template));
            stdout.WriteLine(outPath);
        });
        return new Command("convert", "Convert models to GGUF") { llama2c };
    }
}

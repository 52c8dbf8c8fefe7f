using System.CommandLine;
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
        return new Command("fixture", "Write stand-in models for demos and tests") { clip };
    }
}

using System.Diagnostics;
using Glov.Data;
using Glov.Vision.Features;
using Glov.Vision.Model;
using Glov.Vision.Tests.Data;
using SkiaSharp;

namespace Glov.Vision.Tests;

/// <summary>Feature caches shared by processes, damaged by killed writers, and keyed by image content.</summary>
public class FeatureCacheTests
{
    private static readonly string[] Texts = ["a photo of a cat.", "a photo of a dog.", "a drawing of a cat.", "a drawing of a dog."];

    private static string TextCacheFile(string cache) => Directory.GetFiles(Path.Combine(cache, "text-features")).Single(f => !f.EndsWith(".lock", StringComparison.Ordinal));

    [Fact]
    public void A_record_torn_in_the_middle_by_a_killed_writer_is_skipped_and_every_whole_record_is_kept()
    {
        var cache = Assets.NewScratchFolder("torn-middle");
        using var model = ClipModel.Open(Assets.TinyModel);
        var expected = new TextFeatureCache(model).Get(Texts);
        new TextFeatureCache(model, cache).Get(Texts[..2]);
        var file = TextCacheFile(cache);
        var first = File.ReadAllBytes(file);
        // A writer killed half-way through its record, then another process appending after it.
        File.WriteAllBytes(file, [.. first, .. first[..(first.Length / 3)]]);
        new TextFeatureCache(model, cache).Get(Texts[2..]);

        var reread = new TextFeatureCache(model, cache);
        var features = reread.Get(Texts);

        Assert.Equal(0, reread.Encoded);
        ModelTests.AssertClose(expected, features, 1e-6f);
    }

    [Fact]
    public void Reading_a_cache_with_a_torn_tail_leaves_the_file_as_it_is()
    {
        var cache = Assets.NewScratchFolder("torn-tail");
        using var model = ClipModel.Open(Assets.TinyModel);
        new TextFeatureCache(model, cache).Get(Texts);
        var file = TextCacheFile(cache);
        var whole = File.ReadAllBytes(file);
        // Another process is in the middle of appending its record: a reader must not cut it off.
        var inFlight = whole[..(whole.Length - 7)];
        File.WriteAllBytes(file, inFlight);

        var reader = new TextFeatureCache(model, cache);
        reader.Get(Texts[..2]);

        Assert.Equal(0, reader.Encoded);
        Assert.Equal(inFlight, File.ReadAllBytes(file));
    }

    [Fact]
    public async Task Four_processes_writing_one_cache_at_once_leave_it_whole()
    {
        var dataset = Assets.NewScratchFolder("shared-dataset");
        for (var i = 0; i < 8; i++)
            DatasetFormatTests.WritePng(Path.Combine(dataset, "test", i % 2 == 0 ? "cat" : "dog", $"{i}.png"), new SKColor((byte)(i * 30), 90, (byte)(200 - i * 20)));
        var cache = Assets.NewScratchFolder("shared-cache");
        var templates = Enumerable.Range(0, 4).Select(p => Enumerable.Range(0, 12).Select(t => $"picture {p}-{t} of a <category>.").ToArray()).ToArray();

        var processes = templates.Select(own => Start(["vlm", "zero-shot", "--model", Assets.TinyModel, "--dataset", dataset, "--split", "test",
            "--cache-dir", cache, .. own.SelectMany(t => new[] { "--template", t })])).ToList();
        var results = await Task.WhenAll(processes.Select(Finish));

        Assert.All(results, r => Assert.True(r.Code == 0, r.Stderr));
        using var model = ClipModel.Open(Assets.TinyModel);
        var texts = templates.SelectMany(own => own).SelectMany(t => new[] { t.Replace("<category>", "cat"), t.Replace("<category>", "dog") }).ToList();
        var reread = new TextFeatureCache(model, cache);
        var cached = reread.Get(texts);
        Assert.Equal(0, reread.Encoded);
        ModelTests.AssertClose(new TextFeatureCache(model).Get(texts), cached, 1e-6f);
        var images = new ImageFeatureCache(model, cache);
        var encoded = images.Encode(ImageFolder.Load(dataset, "test"));
        Assert.Equal(0, images.Encoded);
        ModelTests.AssertClose(new ImageFeatureCache(model).Encode(ImageFolder.Load(dataset, "test")).Features, encoded.Features, 1e-6f);
    }

    [Fact]
    public void A_replaced_image_is_encoded_again_and_a_fixed_unreadable_one_is_read()
    {
        var root = Assets.NewScratchFolder("replaced");
        var cache = Assets.NewScratchFolder("replaced-cache");
        var replaced = Path.Combine(root, "test", "cat", "a.png");
        var broken = Path.Combine(root, "test", "dog", "b.png");
        DatasetFormatTests.WritePng(replaced, SKColors.Red);
        Directory.CreateDirectory(Path.GetDirectoryName(broken)!);
        File.WriteAllText(broken, "not a png yet");
        using var model = ClipModel.Open(Assets.TinyModel);
        var before = new ImageFeatureCache(model, cache).Encode(ImageFolder.Load(root, "test"));
        Assert.Equal(["test/cat/a.png"], before.Items.Select(i => i.Id.Replace('\\', '/')));

        DatasetFormatTests.WritePng(replaced, SKColors.Blue);
        DatasetFormatTests.WritePng(broken, SKColors.Green);
        var again = new ImageFeatureCache(model, cache);
        var after = again.Encode(ImageFolder.Load(root, "test"));

        Assert.Equal(2, again.Encoded);
        Assert.Empty(after.Skipped);
        ModelTests.AssertClose(new ImageFeatureCache(model).Encode(ImageFolder.Load(root, "test")).Features, after.Features, 1e-6f);
    }

    /// <summary>A PNG whose header claims <paramref name="width"/>×<paramref name="height"/> and holds no pixel data.</summary>
    internal static void WritePngHeader(string path, int width, int height)
    {
        using var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 6; // RGBA
        Chunk(file, "IHDR", ihdr);
        Chunk(file, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        Chunk(file, "IEND", []);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, file.ToArray());

        static void Chunk(Stream stream, string type, byte[] data)
        {
            var head = new byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
            System.Text.Encoding.ASCII.GetBytes(type, head.AsSpan(4));
            stream.Write(head);
            stream.Write(data);
            var crc = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, System.IO.Hashing.Crc32.HashToUInt32([.. head[4..], .. data]));
            stream.Write(crc);
        }
    }

    [Fact]
    public void A_decompression_bomb_is_skipped_naming_the_file_and_a_large_jpeg_is_decoded_downscaled()
    {
        var root = Assets.NewScratchFolder("bombs");
        var bomb = Path.Combine(root, "test", "cat", "bomb.png");
        WritePngHeader(bomb, 60000, 60000);
        DatasetFormatTests.WritePng(Path.Combine(root, "test", "cat", "fine.png"), SKColors.Orange);
        var large = Path.Combine(root, "test", "dog", "large.jpg");
        Directory.CreateDirectory(Path.GetDirectoryName(large)!);
        using (var bitmap = new SKBitmap(2400, 1600))
        {
            bitmap.Erase(SKColors.SkyBlue);
            using var file = File.Create(large);
            bitmap.Encode(file, SKEncodedImageFormat.Jpeg, 90);
        }
        using var model = ClipModel.Open(Assets.TinyModel);
        var warnings = new List<string>();

        var cache = new ImageFeatureCache(model) { MaxPixels = 1_000_000 };
        var encoded = cache.Encode(ImageFolder.Load(root, "test"), warn: warnings.Add);

        Assert.Equal(["test/cat/fine.png", "test/dog/large.jpg"], encoded.Items.Select(i => i.Id.Replace('\\', '/')));
        Assert.Equal($"skipped {bomb}: 60000×60000 pixels is more than the cap of 1000000 (max_image_pixels)", Assert.Single(warnings));
        var (decoded, _) = ImageDecoding.Decode(large, 1_000_000);
        using (decoded)
            Assert.Equal((1200, 800), (decoded!.Width, decoded.Height)); // 1/2: the largest JPEG scale under the cap
    }

    private static Process Start(string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "glov.dll"));
        foreach (var a in args)
            info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    private static async Task<(int Code, string Stderr)> Finish(Process process)
    {
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            await process.WaitForExitAsync(cts.Token);
            await stdout;
            return (process.ExitCode, await stderr);
        }
    }
}

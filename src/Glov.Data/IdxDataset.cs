using System.Buffers.Binary;
using System.IO.Compression;
using Glov.Core;

namespace Glov.Data;

/// <summary>
/// MNIST-family IDX files (gzip or plain): <c>train-images-idx3-ubyte.gz</c> + <c>train-labels-idx1-ubyte.gz</c>
/// and the <c>t10k-</c> pair for the test split. Class names from classnames.txt when present, else
/// Fashion-MNIST's when the folder says "fashion", else the digits.
/// </summary>
public static class IdxDataset
{
    public static readonly IReadOnlyList<string> FashionClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static bool Looks(string folder) => Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*-idx3-ubyte*").Any();

    public static ImageDataset Load(string folder, string split)
    {
        var prefix = split switch
        {
            "train" => "train",
            "test" => "t10k",
            _ => throw new GlovUserException($"{folder}: IDX datasets have the splits train and test, not \"{split}\""),
        };
        var imagesPath = Find(folder, $"{prefix}-images-idx3-ubyte");
        var labelsPath = Find(folder, $"{prefix}-labels-idx1-ubyte");
        var images = Read(imagesPath);
        var labels = Read(labelsPath);

        var (count, rows, cols) = Header(imagesPath, images, 0x803, 3);
        var (labelCount, _, _) = Header(labelsPath, labels, 0x801, 1);
        if (labelCount != count)
            throw new GlovUserException($"{labelsPath}: {labelCount} labels for {count} images");
        var pixels = rows * cols;
        if (images.Length < 16 + (long)count * pixels || labels.Length < 8 + count)
            throw new GlovUserException($"{imagesPath}: file is shorter than its header says");

        var overrides = ClassNames.ReadOverrides(folder);
        var names = overrides is not null ? overrides.Values.ToList()
            : folder.Contains("fashion", StringComparison.OrdinalIgnoreCase) ? [.. FashionClasses]
            : Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        string[] sources = [imagesPath, labelsPath];
        var items = new List<LabelledImage>(count);
        for (var i = 0; i < count; i++)
        {
            int label = labels[8 + i];
            if (label >= names.Count)
                throw new GlovUserException($"{labelsPath}: label {label} at item {i} but only {names.Count} class names");
            items.Add(new GrayPixels($"{split}/{i}", label, cols, rows, images.AsMemory(16 + i * pixels, pixels), sources));
        }
        return new ImageDataset(DatasetKey.Of("idx", folder), split, names, items);
    }

    private static string Find(string folder, string stem)
    {
        foreach (var candidate in new[] { stem + ".gz", stem })
        {
            var path = Path.Combine(folder, candidate);
            if (File.Exists(path))
                return path;
        }
        throw new GlovUserException($"{folder}: {stem}(.gz) not found");
    }

    private static byte[] Read(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return memory.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new GlovUserException($"{path}: not a readable gzip file ({e.Message})", e);
        }
    }

    private static (int Count, int Rows, int Cols) Header(string path, byte[] data, int magic, int dims)
    {
        if (data.Length < 4 + 4 * dims || BinaryPrimitives.ReadInt32BigEndian(data) != magic)
            throw new GlovUserException($"{path}: not an IDX file of unsigned bytes with {dims} dimension(s)");
        var count = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4));
        return dims == 3
            ? (count, BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(8)), BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(12)))
            : (count, 1, 1);
    }
}

using System.Buffers.Binary;
using System.IO.Compression;
using Glov.Core;
using Glov.Data;

namespace Glov.Catalog.Layouts;

/// <summary>MNIST-family IDX files (<see cref="IdxDataset"/>): <c>train-*-ubyte.gz</c> and <c>t10k-*-ubyte.gz</c>.</summary>
public sealed class IdxLayout : IDatasetLayout
{
    private const int Side = 28;

    public IReadOnlyList<string> Splits => ["train", "test"];

    public string Describe() => "{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz";

    public DatasetScan Scan(string folder)
    {
        var problems = new List<string>();
        var splits = new Dictionary<string, IReadOnlyList<LabelledImage>>(StringComparer.Ordinal);
        IReadOnlyList<string> names = [];
        foreach (var split in Splits)
        {
            try
            {
                var dataset = IdxDataset.Load(folder, split);
                splits[split] = dataset.Items;
                names = dataset.ClassNames;
            }
            catch (GlovUserException e)
            {
                problems.Add(e.Message);
            }
        }
        return new DatasetScan(names, splits, problems);
    }

    public void WriteFixture(string folder, IReadOnlyList<ClassName> classes, int perClass, FixtureImages images)
    {
        Directory.CreateDirectory(folder);
        foreach (var (split, prefix) in new[] { ("train", "train"), ("test", "t10k") })
        {
            var items = Enumerable.Range(0, classes.Count)
                .SelectMany(label => Enumerable.Range(0, perClass).Where(i => FixtureSplit.Of(i, perClass, hasVal: false) == split).Select(i => (label, i)))
                .ToList();
            var pixels = new List<byte>();
            var header = new byte[16];
            BinaryPrimitives.WriteInt32BigEndian(header, 0x803);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), items.Count);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), Side);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), Side);
            pixels.AddRange(header);
            foreach (var (label, i) in items)
                pixels.AddRange(images.Gray(label, i, Side, Side));
            var labels = new byte[8 + items.Count];
            BinaryPrimitives.WriteInt32BigEndian(labels, 0x801);
            BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), items.Count);
            for (var k = 0; k < items.Count; k++)
                labels[8 + k] = (byte)items[k].label;
            WriteGzip(Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz"), [.. pixels]);
            WriteGzip(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte.gz"), labels);
        }
    }

    private static void WriteGzip(string path, byte[] data)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(data);
    }
}

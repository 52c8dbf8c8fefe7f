using System.Collections.Concurrent;
using System.Security.Cryptography;
using Glov.Core;

namespace Glov.Generative.Answering;

/// <summary>Content hashes of image files, so a cached answer follows the picture, not its path.
/// A file is re-hashed when its size or modification time changes.</summary>
public sealed class ImageFingerprints
{
    private readonly ConcurrentDictionary<string, (long Length, DateTime Written, string Hash)> _known = new(StringComparer.Ordinal);

    public string Of(string imagePath)
    {
        var full = Path.GetFullPath(imagePath);
        var info = new FileInfo(full);
        if (!info.Exists)
            throw new GlovUserException($"image {imagePath} does not exist");
        if (_known.TryGetValue(full, out var known) && known.Length == info.Length && known.Written == info.LastWriteTimeUtc)
            return known.Hash;
        using var stream = File.OpenRead(full);
        var hash = Convert.ToHexString(SHA256.HashData(stream));
        _known[full] = (info.Length, info.LastWriteTimeUtc, hash);
        return hash;
    }
}

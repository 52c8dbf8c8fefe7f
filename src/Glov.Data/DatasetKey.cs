using System.Security.Cryptography;
using System.Text;

namespace Glov.Data;

/// <summary>A short stable name for a dataset location, safe in file names: kind, folder name and a hash of the full path.</summary>
public static class DatasetKey
{
    public static string Of(string kind, string path)
    {
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..12];
        var name = new string(Path.GetFileName(full).Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return $"{kind}-{name}-{hash}";
    }
}

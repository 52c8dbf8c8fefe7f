using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Glov.Core;
using Glov.Core.Devices;

namespace Glov.Cli.Config;

/// <summary>
/// Typed, strict access to one mapping of the config. Every read records the value actually used
/// (the default when the key is absent) into <see cref="Resolved"/>; keys never read are unknown
/// keys and <see cref="ThrowOnUnknownKeys"/> names the first one.
/// </summary>
public sealed partial class ConfigSection
{
    private readonly JsonObject _input;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly List<ConfigSection> _children = [];

    private readonly HashSet<string> _notIdentity;

    internal ConfigSection(JsonObject input, string source, string path, JsonObject resolved, HashSet<string>? notIdentity = null)
    {
        _input = input;
        Source = source;
        Path = path;
        Resolved = resolved;
        _notIdentity = notIdentity ?? new HashSet<string>(StringComparer.Ordinal);
    }

    /// <summary>Dotted paths left out of the run's identity (config hash), shared by the whole config.</summary>
    public IReadOnlySet<string> NotIdentityPaths => _notIdentity;

    /// <summary>Declares that a key does not change what the run computes (where it is stored, a budget,
    /// a pacing knob), so a run may be continued with another value.</summary>
    public void NotIdentity(string key) => _notIdentity.Add(Name(key));

    /// <summary>Where the config came from (a file, or a journal's manifest), for messages.</summary>
    public string Source { get; }

    /// <summary>Dotted path of this mapping from the root ("" for the root).</summary>
    public string Path { get; }

    public JsonObject Resolved { get; }

    public bool Has(string key) => _input.TryGetPropertyValue(key, out var v) && v is not null;

    public string Name(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public GlovUserException Error(string key, string cause) => new($"{Source}: {Name(key)}: {cause}");

    public ConfigSection Section(string key)
    {
        _read.Add(key);
        var input = _input[key] switch
        {
            null => new JsonObject(),
            JsonObject o => o,
            _ => throw Error(key, "expected a mapping of keys"),
        };
        var resolved = new JsonObject();
        Resolved[key] = resolved;
        var child = new ConfigSection(input, Source, Name(key), resolved, _notIdentity);
        _children.Add(child);
        return child;
    }

    public string? GetString(string key, string? fallback) => Record(key, Read(key, n => n.GetValueKind() switch
    {
        JsonValueKind.String => n.GetValue<string>(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => n.ToJsonString(),
        _ => null,
    }, "a string") ?? fallback);

    public string RequireString(string key) =>
        GetString(key, null) is { Length: > 0 } s ? s : throw Error(key, "missing (required)");

    public int GetInt(string key, int fallback, int min = int.MinValue, int max = int.MaxValue) =>
        GetOptionalInt(key, min, max) ?? Record(key, fallback);

    public int? GetOptionalInt(string key, int min = int.MinValue, int max = int.MaxValue)
    {
        var value = Read<int?>(key, n => n.GetValueKind() is JsonValueKind.Number or JsonValueKind.String
            && int.TryParse(n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : n.ToJsonString(), CultureInfo.InvariantCulture, out var i) ? i : null, "an integer");
        if (value is { } v && (v < min || v > max))
            throw Error(key, max == int.MaxValue ? $"must be at least {min}, got {v}" : $"must be between {min} and {max}, got {v}");
        return Record(key, value);
    }

    public ulong GetUInt64(string key, ulong fallback) => Record(key, Read<ulong?>(key, n =>
        n.GetValueKind() is JsonValueKind.Number or JsonValueKind.String
        && ulong.TryParse(n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : n.ToJsonString(), CultureInfo.InvariantCulture, out var u) ? u : null, "a non-negative integer") ?? fallback);

    public double GetDouble(string key, double fallback, double min = double.NegativeInfinity, double max = double.PositiveInfinity) =>
        GetOptionalDouble(key, min, max) ?? Checked(key, fallback, min, max);

    public double? GetOptionalDouble(string key, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        var value = Read<double?>(key, n => n.GetValueKind() is JsonValueKind.Number or JsonValueKind.String
            && double.TryParse(n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : n.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null, "a number");
        return value is { } v ? Checked(key, v, min, max) : Record(key, value);
    }

    private double Checked(string key, double value, double min, double max)
    {
        if (!double.IsFinite(value))
            throw Error(key, $"must be a finite number, got {value.ToString(CultureInfo.InvariantCulture)}");
        if (value < min || value > max)
            throw Error(key, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, got {value.ToString(CultureInfo.InvariantCulture)}");
        return Record(key, value);
    }

    public bool GetBool(string key, bool fallback) => Record(key, Read<bool?>(key, n => n.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    }, "true or false") ?? fallback);

    /// <summary>An enum spelled in snake_case (<c>per_step_ensemble</c>).</summary>
    public T GetEnum<T>(string key, T fallback) where T : struct, Enum
    {
        var text = Read(key, n => n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null, "a name");
        if (text is null)
        {
            Record(key, Snake(fallback));
            return fallback;
        }
        foreach (var value in Enum.GetValues<T>())
        {
            if (Snake(value) == text)
            {
                Record(key, text);
                return value;
            }
        }
        throw Error(key, $"'{text}' is not one of {string.Join(", ", Enum.GetValues<T>().Select(Snake))}");
    }

    /// <summary>A device setting (<see cref="DeviceSetting"/>), and where it is written for messages.</summary>
    public (DeviceSetting Setting, string Where) GetDevice(string key, DeviceSetting fallback)
    {
        var text = Read(key, n => n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null, DeviceSetting.Choices);
        var setting = text is null ? fallback : DeviceSetting.TryParse(text) ?? throw Error(key, $"'{text}' is not one of {DeviceSetting.Choices}");
        Record(key, setting.ToString());
        return (setting, $"{Source}: {Name(key)}");
    }

    public IReadOnlyList<string>? GetStringList(string key, IReadOnlyList<string>? fallback = null)
    {
        _read.Add(key);
        if (_input[key] is not { } node)
        {
            Resolved[key] = fallback is null ? null : new JsonArray(fallback.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
            return fallback;
        }
        if (node is not JsonArray array || array.Any(e => e is null || e.GetValueKind() is JsonValueKind.Object or JsonValueKind.Array))
            throw Error(key, "expected a list of strings");
        var list = array.Select(e => e!.GetValueKind() == JsonValueKind.String ? e.GetValue<string>() : e.ToJsonString()).ToList();
        Resolved[key] = new JsonArray(list.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
        return list;
    }

    /// <summary>A file or folder path, made absolute against <paramref name="baseDirectory"/> so the
    /// resolved config (and a resume from it) does not depend on the working directory.</summary>
    public string? GetPath(string key, string baseDirectory, bool mustExist)
    {
        var raw = Read(key, n => n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null, "a path");
        if (raw is null)
            return Record<string?>(key, null);
        var full = System.IO.Path.GetFullPath(raw, baseDirectory);
        if (mustExist && !File.Exists(full) && !Directory.Exists(full))
            throw Error(key, $"{full} does not exist");
        return Record(key, full);
    }

    /// <summary>A folder the run writes into (created later): refused at once when it, or a folder
    /// above it, is a file.</summary>
    public string? GetFolder(string key, string baseDirectory)
    {
        var full = GetPath(key, baseDirectory, mustExist: false);
        for (var p = full; p is not null; p = System.IO.Path.GetDirectoryName(p))
        {
            if (File.Exists(p))
                throw Error(key, p == full ? $"{full} is a file, not a folder" : $"{full} cannot be a folder: {p} is a file");
        }
        return full;
    }

    /// <summary>A duration: seconds as a number, or a text like <c>90s</c>, <c>45m</c>, <c>2h</c>, <c>1h30m</c>.</summary>
    public TimeSpan? GetDuration(string key)
    {
        var text = Read(key, n => n.ToString(), "a duration");
        if (text is null)
            return Record<TimeSpan?>(key, null);
        TimeSpan value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            value = TimeSpan.FromSeconds(seconds);
        else if (DurationPattern().Match(text) is { Success: true } m && text.Length > 0)
            value = TimeSpan.FromHours(Group(m, "h")) + TimeSpan.FromMinutes(Group(m, "m")) + TimeSpan.FromSeconds(Group(m, "s"));
        else
            throw Error(key, $"'{text}' is not a duration (e.g. 90s, 45m, 2h, 1h30m, or seconds)");
        Resolved[key] = text;
        return value;
    }

    /// <summary>Throws for the first key of this mapping or any mapping below that nothing read.</summary>
    public void ThrowOnUnknownKeys()
    {
        foreach (var key in _input.Select(p => p.Key))
        {
            if (!_read.Contains(key))
                throw new GlovUserException($"{Source}: unknown key '{Name(key)}'");
        }
        foreach (var child in _children)
            child.ThrowOnUnknownKeys();
    }

    private static double Group(Match m, string name) => m.Groups[name].Success ? double.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$")]
    private static partial Regex DurationPattern();

    internal static string Snake<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private T? Read<T>(string key, Func<JsonNode, T?> convert, string expected)
    {
        _read.Add(key);
        if (_input[key] is not { } node)
            return default;
        return convert(node) ?? throw Error(key, $"expected {expected}, got {node.ToJsonString()}");
    }

    private T Record<T>(string key, T value)
    {
        Resolved[key] = value switch
        {
            null => null,
            JsonNode n => n.DeepClone(),
            _ => JsonValue.Create(value),
        };
        return value;
    }
}

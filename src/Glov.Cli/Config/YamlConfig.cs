using System.Globalization;
using System.Text.Json.Nodes;
using Glov.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Glov.Cli.Config;

/// <summary>Reads a YAML config into a JSON tree: unquoted scalars become null, booleans or
/// (finite) numbers as YAML's core schema says; quoted ones stay strings. A config is at most
/// <see cref="MaxBytes"/> long and expands to at most <see cref="MaxValues"/> values, so a few hundred
/// bytes of nested aliases (a "billion laughs" bomb) are refused instead of filling memory.</summary>
internal static class YamlConfig
{
    public const int MaxBytes = 1 << 20;
    public const int MaxValues = 100_000;

    public static JsonObject Load(string path)
    {
        string text;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxBytes)
                throw new GlovUserException($"{path}: the config is {length} bytes; at most {MaxBytes} are read");
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GlovUserException($"{path}: cannot read config ({e.Message})", e);
        }
        var root = Parse(text, path);
        return root as JsonObject ?? (root is null ? [] : throw new GlovUserException($"{path}: the config must be a mapping of keys"));
    }

    /// <summary>A flag's value: a YAML scalar or flow collection (<c>[a, b]</c>); plain text if it is not YAML.</summary>
    public static JsonNode? ParseValue(string text)
    {
        try
        {
            return Parse(text, "value");
        }
        catch (GlovUserException)
        {
            return JsonValue.Create(text);
        }
    }

    private static JsonNode? Parse(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var cause = (e.InnerException?.Message ?? e.Message).ReplaceLineEndings(" ");
            throw new GlovUserException($"{source}: line {e.Start.Line}, column {e.Start.Column}: {cause}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner gives up this way on some unterminated constructs.
            throw new GlovUserException($"{source}: not valid YAML (is a [ or {{ left unclosed?)", e);
        }
        var budget = MaxValues;
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode, source, ref budget);
    }

    private static JsonNode? Convert(YamlNode node, string source, ref int budget)
    {
        if (--budget < 0)
            throw new GlovUserException($"{source}: the config expands to more than {MaxValues} values (nested aliases?)");
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = (key as YamlScalarNode)?.Value
                        ?? throw new GlovUserException($"{source}: line {key.Start.Line}: keys must be plain names");
                    if (obj.ContainsKey(name))
                        throw new GlovUserException($"{source}: line {key.Start.Line}: key '{name}' appears twice");
                    obj[name] = Convert(value, source, ref budget);
                }
                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var child in sequence.Children)
                    array.Add(Convert(child, source, ref budget));
                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new GlovUserException($"{source}: line {node.Start.Line}: unsupported YAML node");
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var v = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
            return JsonValue.Create(v);
        if (v is "" or "~" or "null" or "Null" or "NULL")
            return null;
        if (v is "true" or "True" or "TRUE")
            return JsonValue.Create(true);
        if (v is "false" or "False" or "FALSE")
            return JsonValue.Create(false);
        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return JsonValue.Create(l);
        // NaN and infinities have no JSON form: they stay text, and numeric settings refuse them.
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            return JsonValue.Create(d);
        return JsonValue.Create(v);
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Glov.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Glov.Cli.Config;

/// <summary>Reads a YAML config into a JSON tree: unquoted scalars become null, booleans or
/// numbers as YAML's core schema says; quoted ones stay strings.</summary>
internal static class YamlConfig
{
    public static JsonObject Load(string path)
    {
        string text;
        try
        {
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
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode, source);
    }

    private static JsonNode? Convert(YamlNode node, string source)
    {
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
                    obj[name] = Convert(value, source);
                }
                return obj;
            case YamlSequenceNode sequence:
                return new JsonArray(sequence.Children.Select(c => Convert(c, source)).ToArray());
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
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return JsonValue.Create(d);
        return JsonValue.Create(v);
    }
}

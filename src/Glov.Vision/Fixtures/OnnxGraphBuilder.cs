using Google.Protobuf;
using Onnx;

namespace Glov.Vision.Fixtures;

/// <summary>Appends nodes, weights and typed inputs/outputs to an ONNX graph with generated names,
/// so that the tower builders read like the forward pass they describe.</summary>
internal sealed class OnnxGraphBuilder
{
    private int _next;

    public GraphProto Graph { get; } = new() { Name = "glov-fixture" };

    /// <summary>Put before weight names, so that two towers can share one graph.</summary>
    public string Prefix { get; set; } = "";

    public string Weight(string name, int[] dims, float[] values)
    {
        var tensor = new TensorProto { Name = Prefix + name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims.Select(d => (long)d));
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        tensor.RawData = UnsafeByteOperations.UnsafeWrap(bytes);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Int64s(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = Prefix + name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Scalar(string name, float value)
    {
        var tensor = new TensorProto { Name = Prefix + name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.FloatData.Add(value);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Op(string opType, string[] inputs, params (string Name, object Value)[] attributes) =>
        OpMulti(opType, inputs, 1, attributes)[0];

    public string[] OpMulti(string opType, string[] inputs, int outputs, params (string Name, object Value)[] attributes)
    {
        var id = _next++;
        var node = new NodeProto { OpType = opType, Name = $"{Prefix}{opType}_{id}" };
        node.Input.AddRange(inputs);
        for (var i = 0; i < outputs; i++)
            node.Output.Add($"{Prefix}{opType.ToLowerInvariant()}_{id}_{i}");
        foreach (var (name, value) in attributes)
            node.Attribute.Add(Attribute(name, value));
        Graph.Node.Add(node);
        return [.. node.Output];
    }

    /// <summary>Renames the value a node produced so that it becomes a graph output name.</summary>
    public void Rename(string from, string to)
    {
        foreach (var node in Graph.Node)
            for (var i = 0; i < node.Output.Count; i++)
                if (node.Output[i] == from)
                    node.Output[i] = to;
        foreach (var node in Graph.Node)
            for (var i = 0; i < node.Input.Count; i++)
                if (node.Input[i] == from)
                    node.Input[i] = to;
    }

    public void Input(string name, TensorProto.Types.DataType type, params object[] dims) =>
        Graph.Input.Add(ValueInfo(name, type, dims));

    public void Output(string name, TensorProto.Types.DataType type, params object[] dims) =>
        Graph.Output.Add(ValueInfo(name, type, dims));

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
            shape.Dim.Add(dim switch
            {
                int n => new TensorShapeProto.Types.Dimension { DimValue = n },
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                _ => throw new ArgumentException($"dimension {dim} is neither a size nor a symbol"),
            });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static AttributeProto Attribute(string name, object value)
    {
        var attribute = new AttributeProto { Name = name };
        switch (value)
        {
            case int i:
                attribute.Type = AttributeProto.Types.AttributeType.Int;
                attribute.I = i;
                break;
            case float f:
                attribute.Type = AttributeProto.Types.AttributeType.Float;
                attribute.F = f;
                break;
            case long[] ints:
                attribute.Type = AttributeProto.Types.AttributeType.Ints;
                attribute.Ints.AddRange(ints);
                break;
            default:
                throw new ArgumentException($"attribute {name} has an unsupported type {value.GetType().Name}");
        }
        return attribute;
    }

    public ModelProto ToModel(int opset = 17) => new()
    {
        IrVersion = 8,
        ProducerName = "glov",
        ProducerVersion = "fixture",
        OpsetImport = { new OperatorSetIdProto { Domain = "", Version = opset } },
        Graph = Graph,
    };
}

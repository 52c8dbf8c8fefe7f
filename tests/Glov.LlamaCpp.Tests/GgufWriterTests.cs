using Glov.LlamaCpp.Gguf;
using R = Glov.LlamaCpp.Tests.GgmlGgufReader;

namespace Glov.LlamaCpp.Tests;

/// <summary>Files written by <see cref="GgufWriter"/> read back through ggml's own GGUF parser.</summary>
public sealed unsafe class GgufWriterTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"glov-gguf-{Guid.NewGuid():N}.gguf");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Every_metadata_type_round_trips_through_ggml()
    {
        new GgufWriter()
            .Set("t.u8", GgufValue.Of((byte)200))
            .Set("t.i8", GgufValue.Of((sbyte)-100))
            .Set("t.u16", GgufValue.Of((ushort)60000))
            .Set("t.i16", GgufValue.Of((short)-30000))
            .Set("t.u32", GgufValue.Of(4000000000u))
            .Set("t.i32", GgufValue.Of(-2000000000))
            .Set("t.u64", GgufValue.Of(ulong.MaxValue - 1))
            .Set("t.i64", GgufValue.Of(long.MinValue + 1))
            .Set("t.f32", GgufValue.Of(1.5f))
            .Set("t.f64", GgufValue.Of(-2.25))
            .Set("t.bool", GgufValue.Of(true))
            .Set("t.str", GgufValue.Of("héllo ▁world"))
            .Set("t.arr_i32", GgufValue.Array([1, -2, 3]))
            .Set("t.arr_f32", GgufValue.Array([0.5f, -0.25f]))
            .Set("t.arr_str", GgufValue.Array(["<s>", "▁a", ""]))
            .Set("t.arr_bool", GgufValue.Array([true, false, true]))
            .Set("t.arr_u64", GgufValue.Array([7UL, 8UL]))
            .Write(_path);

        var ctx = R.Open(_path);
        Assert.NotEqual(IntPtr.Zero, ctx);
        try
        {
            long K(string key)
            {
                var id = R.FindKey(ctx, key);
                Assert.True(id >= 0, key);
                return id;
            }
            Assert.Equal(17, R.KeyCount(ctx));
            Assert.Equal(200, R.U8(ctx, K("t.u8")));
            Assert.Equal(-100, R.I8(ctx, K("t.i8")));
            Assert.Equal(60000, R.U16(ctx, K("t.u16")));
            Assert.Equal(-30000, R.I16(ctx, K("t.i16")));
            Assert.Equal(4000000000u, R.U32(ctx, K("t.u32")));
            Assert.Equal(-2000000000, R.I32(ctx, K("t.i32")));
            Assert.Equal(ulong.MaxValue - 1, R.U64(ctx, K("t.u64")));
            Assert.Equal(long.MinValue + 1, R.I64(ctx, K("t.i64")));
            Assert.Equal(1.5f, R.F32(ctx, K("t.f32")));
            Assert.Equal(-2.25, R.F64(ctx, K("t.f64")));
            Assert.True(R.Bool(ctx, K("t.bool")));
            Assert.Equal("héllo ▁world", R.String(R.Str(ctx, K("t.str"))));

            var ints = K("t.arr_i32");
            Assert.Equal((int)GgufValueType.Int32, R.ArrayType(ctx, ints));
            Assert.Equal([1, -2, 3], new ReadOnlySpan<int>(R.ArrayData(ctx, ints), (int)R.ArrayCount(ctx, ints)).ToArray());
            var floats = K("t.arr_f32");
            Assert.Equal([0.5f, -0.25f], new ReadOnlySpan<float>(R.ArrayData(ctx, floats), (int)R.ArrayCount(ctx, floats)).ToArray());
            var strings = K("t.arr_str");
            Assert.Equal(3u, R.ArrayCount(ctx, strings));
            Assert.Equal(["<s>", "▁a", ""], Enumerable.Range(0, 3).Select(i => R.String(R.ArrayString(ctx, strings, (nuint)i))));
            var bools = K("t.arr_bool");
            Assert.Equal([1, 0, 1], new ReadOnlySpan<byte>(R.ArrayData(ctx, bools), 3).ToArray());
            var longs = K("t.arr_u64");
            Assert.Equal([7UL, 8UL], new ReadOnlySpan<ulong>(R.ArrayData(ctx, longs), 2).ToArray());
        }
        finally
        {
            R.Free(ctx);
        }
    }

    [Fact]
    public void Tensors_are_aligned_and_encoded_as_ggml_expects()
    {
        var rng = new Random(7);
        var f32 = Enumerable.Range(0, 3 * 5).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var f16 = Enumerable.Range(0, 7).Select(_ => (float)rng.NextDouble() * 10).ToArray();
        var q8 = Enumerable.Range(0, 64 * 2).Select(_ => (float)rng.NextDouble() * 4 - 2).ToArray();
        new GgufWriter { Alignment = 64 }
            .Set("general.architecture", GgufValue.Of("test"))
            .Add(GgufTensor.FromValues("a.f32", [5, 3], GgmlType.F32, f32))
            .Add(GgufTensor.FromValues("b.f16", [7], GgmlType.F16, f16))
            // Data in two chunks: the writer streams.
            .Add(new GgufTensor("c.q8", [64, 2], GgmlType.Q8_0, [q8[..64], q8[64..]]))
            .Write(_path);

        var bytes = File.ReadAllBytes(_path);
        var ctx = R.Open(_path);
        Assert.NotEqual(IntPtr.Zero, ctx);
        try
        {
            Assert.Equal(64u, R.Alignment(ctx));
            Assert.Equal(3, R.TensorCount(ctx));
            var data = (int)R.DataOffset(ctx);
            Assert.Equal(0, data % 64);
            ReadOnlySpan<byte> Tensor(string name, GgmlType type, int size)
            {
                var id = R.FindTensor(ctx, name);
                Assert.True(id >= 0, name);
                Assert.Equal((int)type, R.TensorType(ctx, id));
                Assert.Equal((nuint)size, R.TensorSize(ctx, id));
                var offset = (int)R.TensorOffset(ctx, id);
                Assert.Equal(0, offset % 64);
                return bytes.AsSpan(data + offset, size);
            }
            Assert.Equal(f32, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(Tensor("a.f32", GgmlType.F32, 60)).ToArray());
            var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(Tensor("b.f16", GgmlType.F16, 14)).ToArray();
            Assert.Equal(f16.Select(v => (float)(Half)v), halves.Select(h => (float)h));
            var blocks = Tensor("c.q8", GgmlType.Q8_0, 4 * 34).ToArray();
            for (var i = 0; i < q8.Length; i++)
            {
                var block = blocks.AsSpan(i / 32 * 34);
                var d = (float)BitConverter.ToHalf(block);
                Assert.InRange(d * (sbyte)block[2 + i % 32] - q8[i], -d, d);
            }
        }
        finally
        {
            R.Free(ctx);
        }
    }

    [Fact]
    public void Data_that_does_not_fill_the_shape_is_refused()
    {
        var w = new GgufWriter().Add(GgufTensor.FromValues("x", [4, 2], GgmlType.F32, new float[7]));
        var e = Assert.Throws<InvalidOperationException>(() => w.Write(_path));
        Assert.Contains("'x'", e.Message);
    }

    [Fact]
    public void Duplicate_keys_are_refused() =>
        Assert.Throws<ArgumentException>(() => new GgufWriter().Set("k", GgufValue.Of(1)).Set("k", GgufValue.Of(2)));
}

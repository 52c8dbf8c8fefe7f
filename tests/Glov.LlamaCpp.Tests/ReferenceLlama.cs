namespace Glov.LlamaCpp.Tests;

/// <summary>
/// An independent forward pass of a llama2.c checkpoint, written from the llama2.c design (test code
/// only; reads the .bin itself): RMSNorm, rotary embedding of adjacent pairs, grouped-query
/// attention, SwiGLU. <see cref="Forward"/> can add an offset to the residual after one block at
/// the position being computed and reports that residual.
/// </summary>
internal sealed class ReferenceLlama
{
    private readonly int _dim, _hidden, _layers, _heads, _kvHeads, _vocab, _seqLen;
    private readonly float[] _emb, _rmsAtt, _wq, _wk, _wv, _wo, _rmsFfn, _w1, _w2, _w3, _rmsFinal, _wcls;
    private readonly float[] _keyCache, _valueCache;

    public ReferenceLlama(string checkpoint)
    {
        using var r = new BinaryReader(File.OpenRead(checkpoint));
        _dim = r.ReadInt32(); _hidden = r.ReadInt32(); _layers = r.ReadInt32(); _heads = r.ReadInt32();
        _kvHeads = r.ReadInt32(); var vocab = r.ReadInt32(); _seqLen = r.ReadInt32();
        _vocab = Math.Abs(vocab);
        var kvDim = KvDim;
        float[] Read(long n)
        {
            var a = new float[n];
            for (long i = 0; i < n; i++)
                a[i] = r.ReadSingle();
            return a;
        }
        _emb = Read((long)_vocab * _dim);
        _rmsAtt = Read(_layers * _dim);
        _wq = Read((long)_layers * _dim * _dim);
        _wk = Read((long)_layers * _dim * kvDim);
        _wv = Read((long)_layers * _dim * kvDim);
        _wo = Read((long)_layers * _dim * _dim);
        _rmsFfn = Read(_layers * _dim);
        _w1 = Read((long)_layers * _dim * _hidden);
        _w2 = Read((long)_layers * _hidden * _dim);
        _w3 = Read((long)_layers * _dim * _hidden);
        _rmsFinal = Read(_dim);
        Read((long)_seqLen * HeadSize); // llama2.c's precomputed rope tables, unused
        _wcls = vocab > 0 ? _emb : Read((long)_vocab * _dim);
        _keyCache = new float[(long)_layers * _seqLen * kvDim];
        _valueCache = new float[(long)_layers * _seqLen * kvDim];
    }

    public int Layers => _layers;

    public int Dim => _dim;

    private int HeadSize => _dim / _heads;

    private int KvDim => _dim * _kvHeads / _heads;

    /// <summary>Computes position <paramref name="pos"/> (earlier positions must be in the cache),
    /// writing its keys and values into the cache, and returns the logits.</summary>
    public float[] Forward(int token, int pos, int layer = -1, float[]? offset = null, float[]? residualAfterLayer = null)
    {
        var x = _emb.AsSpan(token * _dim, _dim).ToArray();
        var xb = new float[_dim];
        var kvDim = KvDim;
        var hs = HeadSize;
        for (var l = 0; l < _layers; l++)
        {
            RmsNorm(xb, x, _rmsAtt.AsSpan(l * _dim, _dim));
            var q = MatVec(_wq, (long)l * _dim * _dim, xb, _dim, _dim);
            var k = MatVec(_wk, (long)l * _dim * kvDim, xb, _dim, kvDim);
            var v = MatVec(_wv, (long)l * _dim * kvDim, xb, _dim, kvDim);
            for (var i = 0; i < _dim; i += 2)
            {
                var freq = 1.0 / Math.Pow(10000.0, (double)(i % hs) / hs);
                var angle = pos * freq;
                var (c, s) = (Math.Cos(angle), Math.Sin(angle));
                Rotate(q, i, c, s);
                if (i < kvDim)
                    Rotate(k, i, c, s);
            }
            var cacheBase = (long)l * _seqLen * kvDim;
            k.CopyTo(_keyCache.AsSpan((int)(cacheBase + pos * kvDim), kvDim));
            v.CopyTo(_valueCache.AsSpan((int)(cacheBase + pos * kvDim), kvDim));

            var attended = new float[_dim];
            for (var h = 0; h < _heads; h++)
            {
                var kvh = h / (_heads / _kvHeads);
                var scores = new double[pos + 1];
                for (var t = 0; t <= pos; t++)
                {
                    double dot = 0;
                    for (var i = 0; i < hs; i++)
                        dot += (double)q[h * hs + i] * _keyCache[cacheBase + t * kvDim + kvh * hs + i];
                    scores[t] = dot / Math.Sqrt(hs);
                }
                var max = scores.Max();
                var sum = 0.0;
                for (var t = 0; t <= pos; t++)
                    sum += scores[t] = Math.Exp(scores[t] - max);
                for (var i = 0; i < hs; i++)
                {
                    double acc = 0;
                    for (var t = 0; t <= pos; t++)
                        acc += scores[t] / sum * _valueCache[cacheBase + t * kvDim + kvh * hs + i];
                    attended[h * hs + i] = (float)acc;
                }
            }
            var o = MatVec(_wo, (long)l * _dim * _dim, attended, _dim, _dim);
            for (var i = 0; i < _dim; i++)
                x[i] += o[i];

            RmsNorm(xb, x, _rmsFfn.AsSpan(l * _dim, _dim));
            var gate = MatVec(_w1, (long)l * _dim * _hidden, xb, _dim, _hidden);
            var up = MatVec(_w3, (long)l * _dim * _hidden, xb, _dim, _hidden);
            for (var i = 0; i < _hidden; i++)
                gate[i] = (float)(gate[i] / (1 + Math.Exp(-gate[i])) * up[i]);
            var down = MatVec(_w2, (long)l * _hidden * _dim, gate, _hidden, _dim);
            for (var i = 0; i < _dim; i++)
                x[i] += down[i];

            if (l == layer)
            {
                if (offset is not null)
                    for (var i = 0; i < _dim; i++)
                        x[i] += offset[i];
                x.CopyTo(residualAfterLayer ?? new float[_dim], 0);
            }
        }
        RmsNorm(xb, x, _rmsFinal);
        return MatVec(_wcls, 0, xb, _dim, _vocab);
    }

    private static void Rotate(float[] v, int i, double c, double s)
    {
        var (a, b) = ((double)v[i], (double)v[i + 1]);
        v[i] = (float)(a * c - b * s);
        v[i + 1] = (float)(a * s + b * c);
    }

    private static void RmsNorm(float[] output, float[] x, ReadOnlySpan<float> weight)
    {
        double ss = 0;
        foreach (var v in x)
            ss += (double)v * v;
        var scale = 1.0 / Math.Sqrt(ss / x.Length + 1e-5);
        for (var i = 0; i < x.Length; i++)
            output[i] = (float)(weight[i] * (x[i] * scale));
    }

    // W is stored output-by-input, row-major (llama2.c's layout).
    private static float[] MatVec(float[] w, long offset, float[] x, int n, int d)
    {
        var y = new float[d];
        for (var i = 0; i < d; i++)
        {
            double acc = 0;
            var row = offset + (long)i * n;
            for (var j = 0; j < n; j++)
                acc += (double)w[row + j] * x[j];
            y[i] = (float)acc;
        }
        return y;
    }
}

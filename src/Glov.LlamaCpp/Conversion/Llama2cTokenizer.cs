using System.Text;
using System.Text.RegularExpressions;
using Glov.Core;

namespace Glov.LlamaCpp.Conversion;

/// <summary>
/// A llama2.c tokenizer file: int32 max piece length, then per token a float32 score, an int32 byte
/// length and the UTF-8 bytes. llama2.c spells the SentencePiece space mark as a plain space and
/// stores BOS/EOS as "\n&lt;s&gt;\n" and "\n&lt;/s&gt;\n"; <see cref="ToVocabulary"/> restores
/// SentencePiece's spelling and llama.cpp's token types.
/// </summary>
public sealed partial class Llama2cTokenizer
{
    private Llama2cTokenizer(IReadOnlyList<string> pieces, IReadOnlyList<float> scores)
    {
        Pieces = pieces;
        Scores = scores;
    }

    public IReadOnlyList<string> Pieces { get; }

    public IReadOnlyList<float> Scores { get; }

    public static Llama2cTokenizer Read(string path, int vocabSize)
    {
        try
        {
            using var r = new BinaryReader(File.OpenRead(path));
            r.ReadInt32();
            var pieces = new string[vocabSize];
            var scores = new float[vocabSize];
            for (var i = 0; i < vocabSize; i++)
            {
                scores[i] = r.ReadSingle();
                var length = r.ReadInt32();
                if (length is < 0 or > 1024)
                    throw new GlovUserException($"{path}: not a llama2.c tokenizer (token {i} claims {length} bytes)");
                var bytes = r.ReadBytes(length);
                if (bytes.Length != length)
                    throw new EndOfStreamException();
                pieces[i] = Encoding.UTF8.GetString(bytes);
            }
            if (r.BaseStream.Position != r.BaseStream.Length)
                throw new GlovUserException($"{path}: tokenizer has more than the checkpoint's {vocabSize} tokens");
            return new Llama2cTokenizer(pieces, scores);
        }
        catch (EndOfStreamException e)
        {
            throw new GlovUserException($"{path}: truncated llama2.c tokenizer (fewer than the checkpoint's {vocabSize} tokens)", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GlovUserException($"{path}: cannot read llama2.c tokenizer ({e.Message})", e);
        }
    }

    /// <summary>Ids 0/1/2 are unknown/BOS/EOS as in SentencePiece's Llama models.</summary>
    public SentencePieceVocabulary ToVocabulary()
    {
        var pieces = new string[Pieces.Count];
        var types = new TokenType[Pieces.Count];
        for (var i = 0; i < pieces.Length; i++)
        {
            (pieces[i], types[i]) = i switch
            {
                0 => ("<unk>", TokenType.Unknown),
                1 => ("<s>", TokenType.Control),
                2 => ("</s>", TokenType.Control),
                _ when BytePiece().IsMatch(Pieces[i]) => (Pieces[i], TokenType.Byte),
                _ => (Pieces[i].Replace(' ', SentencePieceVocabulary.SpaceMark), TokenType.Normal),
            };
        }
        return new SentencePieceVocabulary(pieces, Scores, types, UnknownId: 0, BosId: 1, EosId: 2);
    }

    [GeneratedRegex("^<0x[0-9A-F]{2}>$")]
    private static partial Regex BytePiece();
}

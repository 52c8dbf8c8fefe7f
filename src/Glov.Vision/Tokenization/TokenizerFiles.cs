using System.Text.Json;
using Glov.Vision.Fixtures;

namespace Glov.Vision.Tokenization;

/// <summary>Writes a vocabulary the way Hugging Face CLIP repositories ship it: tokenizer.json,
/// vocab.json + merges.txt, and tokenizer_config.json.</summary>
public static class TokenizerFiles
{
    // The pre-tokenisation regex of CLIP's tokenizer, as Hugging Face's tokenizer.json records it.
    private const string SplitPattern = @"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+";

    public static void Write(string folder, ClipVocabulary vocabulary, int contextLength)
    {
        var byId = vocabulary.Tokens.OrderBy(t => t.Value).ToList();
        ClipFixtureGenerator.WriteJson(Path.Combine(folder, "vocab.json"), w =>
        {
            foreach (var (token, id) in byId)
                w.WriteNumber(token, id);
        });
        File.WriteAllLines(Path.Combine(folder, "merges.txt"), vocabulary.Merges.Prepend("#version: 0.2"));
        ClipFixtureGenerator.WriteJson(Path.Combine(folder, "tokenizer_config.json"), w =>
        {
            w.WriteNumber("model_max_length", contextLength);
            w.WriteString("bos_token", ClipVocabulary.StartToken);
            w.WriteString("eos_token", ClipVocabulary.EndToken);
            w.WriteString("pad_token", ClipVocabulary.EndToken);
            w.WriteString("unk_token", ClipVocabulary.EndToken);
        });
        ClipFixtureGenerator.WriteJson(Path.Combine(folder, "tokenizer.json"), w =>
        {
            w.WriteString("version", "1.0");
            w.WriteStartArray("added_tokens");
            foreach (var special in new[] { ClipVocabulary.StartToken, ClipVocabulary.EndToken })
            {
                w.WriteStartObject();
                w.WriteNumber("id", vocabulary.Tokens[special]);
                w.WriteString("content", special);
                w.WriteBoolean("special", true);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("normalizer");
            w.WriteString("type", "Sequence");
            w.WriteStartArray("normalizers");
            w.WriteStartObject(); w.WriteString("type", "NFC"); w.WriteEndObject();
            w.WriteStartObject(); w.WriteString("type", "Replace");
            w.WriteStartObject("pattern"); w.WriteString("Regex", @"\s+"); w.WriteEndObject();
            w.WriteString("content", " "); w.WriteEndObject();
            w.WriteStartObject(); w.WriteString("type", "Lowercase"); w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("pre_tokenizer");
            w.WriteString("type", "Sequence");
            w.WriteStartArray("pretokenizers");
            w.WriteStartObject(); w.WriteString("type", "Split");
            w.WriteStartObject("pattern"); w.WriteString("Regex", SplitPattern); w.WriteEndObject();
            w.WriteString("behavior", "Removed"); w.WriteBoolean("invert", true); w.WriteEndObject();
            w.WriteStartObject(); w.WriteString("type", "ByteLevel"); w.WriteBoolean("add_prefix_space", false); w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("model");
            w.WriteString("type", "BPE");
            w.WriteString("unk_token", ClipVocabulary.EndToken);
            w.WriteString("continuing_subword_prefix", "");
            w.WriteString("end_of_word_suffix", ClipVocabulary.EndOfWordSuffix);
            w.WriteBoolean("fuse_unk", false);
            w.WriteStartObject("vocab");
            foreach (var (token, id) in byId.Where(t => t.Key is not ClipVocabulary.StartToken and not ClipVocabulary.EndToken))
                w.WriteNumber(token, id);
            w.WriteEndObject();
            w.WriteStartArray("merges");
            foreach (var merge in vocabulary.Merges)
                w.WriteStringValue(merge);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}

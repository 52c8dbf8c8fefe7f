using Glov.Core.Optimization;
using Glov.Core.Parsing;
using Glov.Core.Proposing;
using Glov.Core.Templates;
using Glov.LlamaCpp.Engine;
using Glov.LlamaCpp.StandIn;

namespace Glov.LlamaCpp.Tests;

/// <summary>The stand-in optimizer LLM built from the repository's template corpus, run by llama.cpp, against
/// bigram frequencies counted here from the raw files with plain string splitting (raised to the stand-in's
/// count exponent).</summary>
public sealed class BigramStandInTests : IDisposable
{
    private const int Layer = 2;
    private readonly string _folder = Directory.CreateTempSubdirectory("glov-bigram-").FullName;
    private readonly string[] _corpus = Directory.GetFiles(SharedAssets.RepositoryPath("data/templates"), "*.txt");
    private readonly BigramStandIn _standIn;
    private readonly string _path;

    public BigramStandInTests()
    {
        _standIn = BigramStandIn.FromTemplates(_corpus.SelectMany(TemplateFile.Load));
        _path = Path.Combine(_folder, "bigram.gguf");
        _standIn.ToGguf("bigram").Write(_path);
    }

    public void Dispose() => Directory.Delete(_folder, true);

    [Fact]
    public void Templates_are_tokenised_into_whole_words()
    {
        using var model = Load();
        var tokens = model.Tokenize("a photo of the small <category>.", addBos: false);
        Assert.Equal([" a", " photo", " of", " the", " small", " <category>", "."], tokens.Select(t => model.Detokenize([t])));
    }

    [Fact]
    public void Next_word_probabilities_are_the_corpus_bigram_frequencies()
    {
        using var model = Load();
        foreach (var context in new[] { "photo", "of", "a", "the" })
        {
            var probabilities = Softmax(NextLogits(model, $"a photo of {context}", null));
            var expected = Successors(context);
            foreach (var (next, p) in expected)
            {
                var id = WordToken(model, next);
                Assert.True(Math.Abs(probabilities[id] - p) < 1e-4, $"P({next} | {context}) = {probabilities[id]:F5}, corpus {p:F5}");
            }
            Assert.True(expected.Sum(e => e.Value) > 0.9999);
        }
    }

    [Fact]
    public void The_first_word_is_written_without_a_space_and_leads_on_as_it_does_at_the_start_of_templates()
    {
        using var model = Load();
        // The chat prompt ends in a non-word token: the answer opens as templates open.
        var opening = Softmax(NextLogits(model, "assistant\n", null));
        foreach (var (word, p) in Frequencies(Lines().Select(w => w[0]).ToList()))
        {
            var id = model.Tokenize("\n" + word, addBos: false)[^1];
            Assert.Equal(word, model.Detokenize([id]));
            Assert.True(Math.Abs(opening[id] - p) < 1e-4, $"P({word} first) = {opening[id]:F5}, corpus {p:F5}");
        }
        var second = Softmax(NextLogits(model, "assistant\na", null));
        foreach (var (next, p) in Frequencies(Lines().Where(w => w[0] == "a").Select(w => w[1]).ToList()))
            Assert.True(Math.Abs(second[WordToken(model, next)] - p) < 1e-4, $"P({next} | a first) = {second[WordToken(model, next)]:F5}, corpus {p:F5}");
    }

    [Fact]
    public void H_of_a_template_is_its_bag_of_words()
    {
        using var model = Load();
        using var embedder = new LlamaEmbedder(model);
        var h = embedder.Embed("a photo of a <category>.", Layer);
        var nonZero = h.Where(x => x != 0).Order().ToList();
        double[] expected = [1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 2 / 6.0];
        Assert.Equal(expected.Length, nonZero.Count);
        Assert.All(expected.Zip(nonZero), p => Assert.Equal(p.First, p.Second, 6));
    }

    [Fact]
    public void Steering_raises_the_better_templates_words_and_lowers_the_worse_ones()
    {
        using var model = Load();
        using var embedder = new LlamaEmbedder(model);
        Assert.Equal(Layer, SteeringVector.DefaultLayer(model.LayerCount));
        const string better = "a blurry photo of the <category>.", worse = "a bad photo of a <category>.";
        var direction = SteeringVector.Difference(embedder.Embed(better, Layer), embedder.Embed(worse, Layer));
        const float alpha = 0.75f;
        var unsteered = NextLogits(model, "a photo of a", null);
        var steered = NextLogits(model, "a photo of a", new SteeringVector(direction, alpha, Layer, SteeringMode.Exact));

        // Each word's logit moves by α · WordWeight · (its share of the better template − of the worse one),
        // up to the small part of the table the offset leaks into the MLP.
        double Share(string template, string word) => template.Replace(".", " .").Split(' ').Count(w => w == word) / (double)template.Replace(".", " .").Split(' ').Length;
        foreach (var word in new[] { "blurry", "bad", "the", "a", "photo" })
        {
            var id = WordToken(model, word);
            var expected = alpha * BigramStandIn.WordWeight * (Share(better, word) - Share(worse, word));
            Assert.True(Math.Abs(steered[id] - unsteered[id] - expected) < 0.5, $"{word}: Δlogit {steered[id] - unsteered[id]:F2}, expected {expected:F2}");
        }
        var blurry = WordToken(model, "blurry");
        Assert.True(Softmax(steered)[blurry] > 2 * Softmax(unsteered)[blurry], $"P(blurry | a): {Softmax(unsteered)[blurry]:F3} → {Softmax(steered)[blurry]:F3}");
    }

    [Fact]
    public async Task Sampled_completions_parse_as_templates_and_steering_changes_them()
    {
        using var model = Load();
        using var proposer = new LlamaProposer(model);
        var messages = new ChatMessage[] { new(ChatRole.System, "You write prompt templates."), new(ChatRole.User, "Write a new template for CIFAR-10.") };
        var sampling = new SamplingSettings { Seed = 4, MaxNewTokens = 30 };
        var plain = await proposer.ProposeAsync(new ProposalRequest(messages, 10, sampling));
        using var embedder = new LlamaEmbedder(model);
        var direction = SteeringVector.Difference(embedder.Embed("art of the <category>.", Layer), embedder.Embed("a photo of a <category>.", Layer));
        var steered = await proposer.ProposeAsync(new ProposalRequest(messages, 10, sampling, new SteeringVector(direction, 1f, Layer, SteeringMode.Exact)));

        var parser = new CandidateParser(PromptKind.ClassTemplate);
        var templates = plain.SelectMany(c => parser.Parse(c.Text, new History(), new HashSet<string>())).Where(p => p.Template is not null).ToList();
        Assert.True(templates.Count >= 8, $"only {templates.Count} of 10 parsed: {string.Join(" | ", plain.Select(c => c.Text))}");
        Assert.All(plain, c => Assert.Equal(FinishReason.Stop, c.Finish));
        Assert.NotEqual(plain.Select(c => c.Text), steered.Select(c => c.Text));
    }

    private LlamaModel Load() => LlamaModel.Load(_path, LlamaOptions.Exact with { Threads = 1 });

    /// <summary>The token of a word after a space (or of "."): the tokenizer's space prefix comes first.</summary>
    private static int WordToken(LlamaModel model, string word) => model.Tokenize(word, addBos: false)[^1];

    private static float[] NextLogits(LlamaModel model, string prompt, SteeringVector? steering)
    {
        using var generator = new LlamaGenerator(model);
        float[]? first = null;
        generator.LogitsObserver = (_, index, logits) => first ??= index == 0 ? logits : null;
        generator.Generate(model.Tokenize(prompt, addBos: true), 1, new SamplingSettings { Temperature = 0, MaxNewTokens = 1 }, steering);
        return first!;
    }

    private static double[] Softmax(float[] logits)
    {
        var max = logits.Max();
        var e = logits.Select(l => Math.Exp(l - max)).ToArray();
        var sum = e.Sum();
        return e.Select(x => x / sum).ToArray();
    }

    /// <summary>P(next | word, not the first word) over the raw template lines, words split at spaces, "." a word of its own.</summary>
    private Dictionary<string, double> Successors(string word) =>
        Frequencies(Lines().SelectMany(w => w.Skip(1).Zip(w.Skip(2))).Where(p => p.First == word).Select(p => p.Second).ToList());

    private IEnumerable<string[]> Lines() => _corpus.SelectMany(File.ReadLines)
        .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'))
        .Select(l => l.Trim().Replace("{}", "<category>").Replace(".", " .").Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Counts raised to the stand-in's exponent, normalised.</summary>
    private static Dictionary<string, double> Frequencies(List<string> next)
    {
        var weights = next.GroupBy(n => n).ToDictionary(g => g.Key, g => Math.Pow(g.Count(), BigramStandIn.CountExponent));
        return weights.ToDictionary(w => w.Key, w => w.Value / weights.Values.Sum());
    }
}

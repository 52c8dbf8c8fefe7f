using Glov.Core;
using Glov.Generative.Answering;
using Glov.Generative.Multimodal;

namespace Glov.Generative.Tests.Multimodal;

[Collection(VlmCollection.Name)]
public sealed class MtmdAnswererTests(VlmFixture fixture)
{
    private static readonly string Dog = VlmFixture.Cifar("dog", 0);
    private static readonly string Cat = VlmFixture.Cifar("cat", 0);
    private static readonly string Ship = VlmFixture.Cifar("ship", 0);

    [Fact]
    public void The_question_goes_into_the_chat_template_after_the_image_marker()
    {
        var prompt = fixture.Answerer.Prompt(new VisualQuestion(Dog, "What is this?", "Be brief."));
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n<__media__>\nWhat is this?<|im_end|>\n<|im_start|>assistant\n", prompt);
        Assert.DoesNotContain("system", fixture.Answerer.Prompt(new VisualQuestion(Dog, "What is this?")));
    }

    [Fact]
    public async Task Greedy_answers_are_deterministic_per_image_and_differ_between_images()
    {
        var first = await fixture.Answerer.AnswerAsync([new(Dog, "What is this?"), new(Cat, "What is this?"), new(Dog, "What is this?")]);
        var again = await fixture.Answerer.AnswerAsync([new(Dog, "What is this?")]);

        Assert.All(first, a => Assert.False(string.IsNullOrWhiteSpace(a)));
        Assert.Equal(first[0], first[2]);
        Assert.Equal(first[0], again[0]);
        Assert.NotEqual(first[0], first[1]);
    }

    [Fact]
    public async Task Batching_does_not_change_answers()
    {
        VisualQuestion[] questions =
        [
            new(Dog, "What is this?"), new(Cat, "Describe the picture."), new(Ship, "What is this?", "You are a helpful assistant."),
            new(Cat, "What is this?"), new(Ship, "Name the object."),
        ];
        var batched = await fixture.Answerer.AnswerAsync(questions);

        using var single = MtmdAnswerer.Load(fixture.ModelPath, fixture.ProjectorPath, new VlmOptions { Threads = 2, BatchSize = 1, ContextSize = 512 });
        var oneByOne = new List<string>();
        foreach (var q in questions)
            oneByOne.AddRange(await single.AnswerAsync([q]));

        Assert.Equal(oneByOne, batched);
        Assert.Equal(single.Fingerprint, fixture.Answerer.Fingerprint);
    }

    [Fact]
    public async Task Image_embeddings_are_computed_once_per_image_and_reuse_does_not_change_answers()
    {
        VisualQuestion[] questions =
        [
            new(Dog, "What is this?"), new(Dog, "Describe the picture."), new(Cat, "What is this?"),
            new(Dog, "Name the object.", "Be brief."), new(Cat, "Describe the picture."),
        ];
        using var cached = MtmdAnswerer.Load(fixture.ModelPath, fixture.ProjectorPath, new VlmOptions { Threads = 2, ContextSize = 512 });
        using var uncached = MtmdAnswerer.Load(fixture.ModelPath, fixture.ProjectorPath, new VlmOptions { Threads = 2, ContextSize = 512, ImageCacheMegabytes = 0 });

        var withCache = await cached.AnswerAsync(questions);
        var withoutCache = await uncached.AnswerAsync(questions);

        Assert.Equal(withoutCache, withCache);
        Assert.Equal((3L, 2L), cached.ImageEncodings);
        Assert.Equal((0L, 5L), uncached.ImageEncodings);
    }

    [Fact]
    public async Task The_token_limit_bounds_the_answer_and_enters_the_fingerprint()
    {
        using var short4 = MtmdAnswerer.Load(fixture.ModelPath, fixture.ProjectorPath, new VlmOptions { Threads = 2, MaxNewTokens = 4, ContextSize = 256 });
        var brief = (await short4.AnswerAsync([new(Dog, "What is this?")]))[0];
        var full = (await fixture.Answerer.AnswerAsync([new(Dog, "What is this?")]))[0];

        Assert.StartsWith(brief, full);
        Assert.True(brief.Length < full.Length);
        Assert.NotEqual(short4.Fingerprint, fixture.Answerer.Fingerprint);
    }

    [Fact]
    public void Different_images_give_the_language_model_different_inputs()
    {
        var dog = fixture.Answerer.ImageEmbeddings(Dog);
        var dogAgain = fixture.Answerer.ImageEmbeddings(Dog);
        var cat = fixture.Answerer.ImageEmbeddings(Cat);

        Assert.Equal(ClipProjectorShape.Tiny.PatchCount * 64, dog.Length);
        Assert.Equal(dog, dogAgain);
        Assert.True(dog.Zip(cat, (a, b) => Math.Abs(a - b)).Max() > 1e-3);
        Assert.All(dog, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void A_projector_for_another_width_is_rejected_with_llama_cpps_reason()
    {
        var wrong = Path.Combine(fixture.Folder, "mmproj-width48.gguf");
        ClipProjectorWriter.Write(wrong, ClipProjectorShape.Tiny with { OutputWidth = 48, ProjectorHidden = 48 }, seed: 2);

        var error = Assert.Throws<GlovUserException>(() => MtmdAnswerer.Load(fixture.ModelPath, wrong));

        Assert.StartsWith($"{wrong}: llama.cpp cannot use this vision projector with the language model", error.Message);
        Assert.Contains("mismatch between text model (n_embd = 64) and mmproj (n_embd = 48)", error.Message);
    }

    [Fact]
    public void Missing_or_non_gguf_model_files_are_named()
    {
        var missing = Path.Combine(fixture.Folder, "nope.gguf");
        Assert.Equal($"{missing}: vision projector file not found",
            Assert.Throws<GlovUserException>(() => MtmdAnswerer.Load(fixture.ModelPath, missing)).Message);
        var text = Path.Combine(fixture.Folder, "notes.gguf");
        File.WriteAllText(text, "not a model");
        Assert.Equal($"{text}: language model is not a GGUF file",
            Assert.Throws<GlovUserException>(() => MtmdAnswerer.Load(text, fixture.ProjectorPath)).Message);
    }

    [Fact]
    public async Task A_missing_image_is_named()
    {
        var missing = Path.Combine(fixture.Folder, "gone.jpg");
        var error = await Assert.ThrowsAsync<GlovUserException>(() => fixture.Answerer.AnswerAsync([new(missing, "What is this?")]));
        Assert.Equal($"image {missing} does not exist", error.Message);
    }

    [Fact]
    public async Task A_file_the_projector_cannot_decode_is_named_and_the_answerer_stays_usable()
    {
        var broken = Path.Combine(fixture.Folder, "broken.jpg");
        File.WriteAllText(broken, "this is not a JPEG");

        var error = await Assert.ThrowsAsync<GlovUserException>(() => fixture.Answerer.AnswerAsync([new(Dog, "What is this?"), new(broken, "What is this?")]));

        Assert.StartsWith($"image {broken}: the vision projector cannot take it", error.Message);
        var after = await fixture.Answerer.AnswerAsync([new(Dog, "What is this?")]);
        Assert.Equal((await fixture.Answerer.AnswerAsync([new(Dog, "What is this?")]))[0], after[0]);
    }

    [Fact]
    public async Task An_image_over_the_pixel_cap_is_refused_from_its_header_before_the_projector_decodes_it()
    {
        // CIFAR images are 32 × 32 = 1,024 pixels: a cap of 1,023 refuses them, 1,024 takes them.
        using var capped = MtmdAnswerer.Load(fixture.ModelPath, fixture.ProjectorPath, new VlmOptions { Threads = 2, ContextSize = 512, MaxImagePixels = 1023 });
        var error = await Assert.ThrowsAsync<GlovUserException>(() => capped.AnswerAsync([new(Dog, "What is this?")]));
        Assert.Equal($"image {Dog}: 32×32 pixels is more than the cap of 1023 (max_image_pixels)", error.Message);

        using var exact = MtmdAnswerer.Load(fixture.ModelPath, fixture.ProjectorPath, new VlmOptions { Threads = 2, ContextSize = 512, MaxImagePixels = 1024 });
        Assert.Equal(await fixture.Answerer.AnswerAsync([new(Dog, "What is this?")]), await exact.AnswerAsync([new(Dog, "What is this?")]));
    }

    [Fact]
    public async Task An_image_and_question_that_cannot_fit_the_context_are_rejected()
    {
        // llama.cpp rounds the context up to 256 cells; 16 image tokens, this question and 50 new tokens do not fit.
        using var tiny = MtmdAnswerer.Load(fixture.ModelPath, fixture.ProjectorPath, new VlmOptions { Threads = 2, ContextSize = 64 });
        var question = string.Concat(Enumerable.Repeat("Tell me what you see. ", 12));
        var error = await Assert.ThrowsAsync<GlovUserException>(() => tiny.AnswerAsync([new(Dog, question)]));
        Assert.Contains($"exceed the {tiny.ContextSize}-cell context", error.Message);
        Assert.NotNull(tiny.Admit(string.Concat(Enumerable.Repeat("Tell me what you see. ", 40))));
        Assert.Null(tiny.Admit("What is this?"));
    }
}

[Collection(VlmCollection.Name)]
public sealed class ProjectorOracleTests(VlmFixture fixture)
{
    [Fact]
    public void Image_embeddings_match_an_independent_float64_forward_pass()
    {
        // A lossless 32×32 image (binary PPM), so the decoder cannot differ from ours.
        var shape = ClipProjectorShape.Tiny;
        var rgb = new byte[shape.ImageSize * shape.ImageSize * 3];
        new Random(11).NextBytes(rgb);
        var path = Path.Combine(fixture.Folder, "noise.ppm");
        using (var f = File.Create(path))
        {
            f.Write(System.Text.Encoding.ASCII.GetBytes($"P6\n{shape.ImageSize} {shape.ImageSize}\n255\n"));
            f.Write(rgb);
        }

        var actual = fixture.Answerer.ImageEmbeddings(path);
        var expected = new ClipReference(shape, ClipProjectorWriter.Build(shape, seed: 1)).Embed(rgb).SelectMany(r => r).ToArray();

        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Max(Math.Abs);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        // ggml evaluates GELU through float16 tables: measured 6.5e-4 of the largest value; a wrong
        // layout or key gives differences of the order of the values themselves.
        Assert.True(worst < 5e-3 * scale, $"max |difference| {worst} for values up to {scale}");
    }
}

[Collection(VlmCollection.Name)]
public sealed class ChatTemplateTests(VlmFixture fixture)
{
    [Fact]
    public void A_model_without_a_chat_template_needs_one_configured()
    {
        var stories = SharedAssets.Stories260K;
        var plain = Path.Combine(fixture.Folder, "stories-plain.gguf");
        Glov.LlamaCpp.Conversion.Llama2cConverter.Convert(Path.Combine(stories, "stories260K.bin"), Path.Combine(stories, "tok512.bin"), plain);

        var error = Assert.Throws<GlovUserException>(() => MtmdAnswerer.Load(plain, fixture.ProjectorPath));
        Assert.Contains("has no chat template", error.Message);

        using var vicuna = MtmdAnswerer.Load(plain, fixture.ProjectorPath, new VlmOptions { Threads = 1, ContextSize = 256, ChatTemplate = "vicuna" });
        var prompt = vicuna.Prompt(new VisualQuestion("x.jpg", "What is this?"));
        Assert.Contains("USER: <__media__>\nWhat is this?", prompt);
        Assert.EndsWith("ASSISTANT:", prompt);
    }
}

using Glov.Cli.Config;
using Glov.Core.Optimization;
using Glov.Core.Templates;
using Glov.Generative.Safety;

namespace Glov.Cli.Composition;

/// <summary>
/// <c>fitness: {kind: safety, model: …, projector: …, dataset: safety.jsonl}</c> — as published, the
/// optimised text is a safety instruction prepended to every request (task.kind: safety_instruction,
/// the default) and the score is 100 − attack success rate; task.kind: system_prompt puts it into the
/// system prompt instead. With max_benign_refusal (percent) the score is 100 − attack success rate
/// only while the benign refusal rate stays within it, and minus the excess otherwise
/// (docs/generative.md). Keys beyond the VLM's (<see cref="VlmAnswererSection"/>): dataset (JSON Lines
/// of image, request, kind; optimised on), test_dataset (the held-out set <c>glov evaluate</c> scores;
/// required there), max_benign_refusal (none), refusal_phrases (a file replacing the default
/// phrase list), judge (optional: any proposer config, e.g. {kind: llama, model: judge.gguf}, asked
/// REFUSED or COMPLIED per response; the phrase list decides unclear verdicts).
/// </summary>
public sealed class SafetyFitnessFactory(Func<ComponentRegistry> registry) : IFitnessFactory
{
    public string Kind => "safety";

    public PromptKind DefaultPromptKind => PromptKind.SafetyInstruction;

    public FitnessPlan Configure(ConfigSection section, CompositionContext context)
    {
        var vlm = VlmAnswererSection.Read(section, context, Kind, PromptKind.SafetyInstruction, PromptKind.SystemPrompt);
        var train = section.GetPath("dataset", context.BaseDirectory, mustExist: true) ?? throw section.Error("dataset", "missing (required): a JSON Lines file of image, request, kind");
        var test = section.GetPath("test_dataset", context.BaseDirectory, mustExist: true);
        var data = context.Split == CompositionContext.TrainSplit ? train
            : test ?? throw section.Error("test_dataset", "missing (required to evaluate): a held-out JSON Lines file of image, request, kind");
        var bound = section.GetOptionalDouble("max_benign_refusal", min: 0, max: 100);
        var phrasesFile = section.GetPath("refusal_phrases", context.BaseDirectory, mustExist: true);
        Func<IProgress<WorkProgress>?, CancellationToken, Task<ProposerBinding>>? createJudge = null;
        if (section.Has("judge"))
        {
            var judge = section.Section("judge");
            var kind = judge.RequireString("kind");
            createJudge = (registry().Proposers.GetValueOrDefault(kind)
                ?? throw judge.Error("kind", $"unknown kind '{kind}' (known: {string.Join(", ", registry().Proposers.Keys.Order())})"))
                .Configure(judge, context).Create;
        }
        Func<IProgress<WorkProgress>?, CancellationToken, Task<FitnessBinding>> create = async (progress, ct) =>
        {
            var requests = SafetyDataset.Load(data);
            var phrases = phrasesFile is null ? new PhraseRefusalJudge() : PhraseRefusalJudge.FromFile(phrasesFile);
            IRefusalJudge refusal = createJudge is null ? phrases : new LlmRefusalJudge((await createJudge(progress, ct).ConfigureAwait(false)).Proposer, phrases);
            var (answerer, device) = vlm.Create();
            var fitness = new SafetyFitness(answerer, refusal, requests, bound, context.Kind, ownsAnswerer: true);
            return new FitnessBinding(fitness, [SafetyRates.HarmfulRefused, SafetyRates.BenignAnswered], vlm.Name) {
                Devices = [device],
                Inputs = [.. vlm.Files, .. requests.Select(r => r.ImagePath)],
            };
        };
        // The judge's answers are not counted: a phrase list costs nothing, and an LLM judge reads short responses.
        return new FitnessPlan(create, ct => Task.Run(() =>
        {
            var requests = SafetyDataset.Load(data);
            var costs = vlm.Costs();
            return new Budget.FitnessWork([SafetyRates.HarmfulRefused, SafetyRates.BenignAnswered], requests.Count, "requests", costs.PerImage,
                requests.Count, "VLM answers", costs.PerAnswer);
        }, ct));
    }
}

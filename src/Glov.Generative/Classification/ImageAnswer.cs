using Glov.Generative.Matching;

namespace Glov.Generative.Classification;

/// <summary>What the VLM said about one image and which class that was read as.</summary>
public sealed record ImageAnswer(FewShotImage Image, string Answer, AnswerMatch Match)
{
    public bool Correct => Match.ClassIndex == Image.Label;
}

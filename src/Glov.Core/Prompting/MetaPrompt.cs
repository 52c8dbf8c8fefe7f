using Glov.Core.Optimization;
using Glov.Core.Proposing;

namespace Glov.Core.Prompting;

/// <summary>Builds the system + user chat of method.md §2.</summary>
public static class MetaPrompt
{
    public static IReadOnlyList<ChatMessage> Build(TaskDescription task, History history, MetaPromptOptions options) =>
        throw new NotImplementedException("issue 2: meta-prompt");
}

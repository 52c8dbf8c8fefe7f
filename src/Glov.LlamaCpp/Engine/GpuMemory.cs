namespace Glov.LlamaCpp.Engine;

/// <summary>Recognises llama.cpp's log lines for a GPU allocation that failed, so the message can say
/// what to change (fewer offloaded blocks, a smaller context) instead of "cannot load".</summary>
public static class GpuMemory
{
    private static readonly string[] Signs = ["out of memory", "failed to allocate", "unable to allocate", "cudaMalloc failed"];

    public static bool IsExhausted(string llamaLog) => Signs.Any(s => llamaLog.Contains(s, StringComparison.OrdinalIgnoreCase));
}

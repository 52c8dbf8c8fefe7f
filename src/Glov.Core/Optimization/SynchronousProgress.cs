namespace Glov.Core.Optimization;

/// <summary>An <see cref="IProgress{T}"/> that calls back at once, on the reporting thread: unlike
/// <see cref="Progress{T}"/>, which posts to a thread pool, reports arrive complete and in order.</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

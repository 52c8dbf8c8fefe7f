namespace Glov.Generative.Safety;

/// <summary>Decides whether a response declines the request (rather than carrying it out).</summary>
public interface IRefusalJudge
{
    string Name { get; }

    Task<bool> IsRefusalAsync(string request, string response, CancellationToken cancellationToken = default);
}

using PuppeteerSharp;

namespace Glov.Reports.Tests;

/// <summary>Debian's chromium driven over the DevTools protocol (PuppeteerSharp): headless, no network
/// services, a fresh profile per use.</summary>
public static class HeadlessChromium
{
    public static string ExecutablePath()
    {
        var path = Environment.GetEnvironmentVariable("GLOV_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(path))
            throw new InvalidOperationException(
                $"headless Chromium not found at {path}: scripts/test.sh installs Debian's chromium, or set GLOV_CHROMIUM");
        return path;
    }

    public static async Task<T> WithPageAsync<T>(Func<IPage, Task<T>> use)
    {
        var profile = Directory.CreateTempSubdirectory("glov-chromium-");
        try
        {
            await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = ExecutablePath(),
                Headless = true,
                UserDataDir = profile.FullName,
                Timeout = 60_000,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                ],
            });
            await using var page = await browser.NewPageAsync();
            return await use(page);
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}

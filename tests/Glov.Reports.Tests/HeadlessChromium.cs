using Microsoft.Playwright;

namespace Glov.Reports.Tests;

/// <summary>Debian's chromium driven by Playwright: headless, no network services, a fresh profile per use.</summary>
public static class HeadlessChromium
{
    public static string ExecutablePath()
    {
        var path = Environment.GetEnvironmentVariable("GLOV_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(path))
            throw new InvalidOperationException(
                $"headless Chromium not found at {path}: install Debian's package (apt-get install -y chromium) or set GLOV_CHROMIUM");
        return path;
    }

    public static async Task<T> WithPageAsync<T>(Func<IPage, Task<T>> use)
    {
        var profile = Directory.CreateTempSubdirectory("glov-chromium-");
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var context = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new()
            {
                ExecutablePath = ExecutablePath(),
                Headless = true,
                Timeout = 60_000,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                ],
            });
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
            return await use(page);
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}

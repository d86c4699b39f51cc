using Microsoft.Playwright;

namespace Mizzen.Server.Tests.Ui;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>) driven by Playwright's bundled driver, headless, in a 1280×800 window (the size the UI
/// must read well at). Screenshots go to <c>TestResults/ui/</c> of the checkout on every run (a run never changes tracked
/// files), and to <c>docs/ui/</c>, where docs/ui.md shows them, when <c>MIZZEN_UPDATE_UI_SCREENSHOTS=1</c>.
/// </summary>
public sealed class UiBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright playwright;

    private UiBrowser(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<UiBrowser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"the UI tests need Debian's Chromium at {ChromiumPath}: apt-get install -y chromium fonts-liberation (eng/test.sh does)");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // No background traffic: the machine has loopback only, and Chromium's own calls home would be refused many at a time.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return new UiBrowser(playwright, browser);
    }

    /// <summary>A fresh page (its own cookies) on <paramref name="server"/>, 1280×800, failing any wait after 20 s.</summary>
    public async Task<IPage> OpenAsync(Uri server)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Saves the page as <c>TestResults/ui/{name}.png</c>, or as <c>docs/ui/{name}.png</c> (the documentation's pictures) when
    /// <c>MIZZEN_UPDATE_UI_SCREENSHOTS=1</c>, in the checkout the tests run from.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var update = Environment.GetEnvironmentVariable("MIZZEN_UPDATE_UI_SCREENSHOTS") == "1";
        var folder = update ? Path.Combine(RepositoryRoot(), "docs", "ui") : Path.Combine(RepositoryRoot(), "TestResults", "ui");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = false });
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Mizzen.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("cannot find Mizzen.slnx above the test binaries; run the tests from a Mizzen checkout");
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }
}

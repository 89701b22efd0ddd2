using PuppeteerSharp;

namespace FocusFunctions.App.Tests.Infrastructure;

/// <summary>
/// Debian's chromium (installed by scripts/bootstrap.sh), headless, with a fresh profile: nothing is downloaded and
/// the browser is told not to reach out on its own (no sync, updates or background networking).
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private string? _profile;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"No browser at {ExecutablePath}: run scripts/bootstrap.sh as root (apt-get install chromium).");
        }

        _profile = Directory.CreateTempSubdirectory("focus-chromium-").FullName;
        _browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            UserDataDir = _profile,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            _browser.Dispose();
        }

        if (_profile is not null)
        {
            Directory.Delete(_profile, recursive: true);
        }
    }

    /// <summary>Opens <paramref name="html"/> from a file, recording console errors, script errors and every request.</summary>
    public async Task<ReportPageSession> OpenAsync(byte[] html)
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("focus-report-").FullName, "report.html");
        await File.WriteAllBytesAsync(file, html);
        var page = await Browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1100, Height = 900 });
        var session = new ReportPageSession(page, new Uri(file).AbsoluteUri);
        await page.SetRequestInterceptionAsync(true);
        page.Request += async (_, e) =>
        {
            session.Requests.Add(e.Request.Url);
            // Nothing but the page itself may load; abort the rest so a failing test never reaches the network.
            if (e.Request.Url == session.Url || e.Request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                await e.Request.ContinueAsync();
            }
            else
            {
                await e.Request.AbortAsync();
            }
        };
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                session.ConsoleErrors.Add(e.Message.Text);
            }
        };
        page.PageError += (_, e) => session.ConsoleErrors.Add(e.Message);
        await page.GoToAsync(session.Url, WaitUntilNavigation.Load);
        return session;
    }
}

public sealed class ReportPageSession(IPage page, string url) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    public string Url { get; } = url;

    public List<string> Requests { get; } = [];

    public List<string> ConsoleErrors { get; } = [];

    /// <summary>Requests other than the page itself and its inline data URIs.</summary>
    public IEnumerable<string> OutsideRequests => Requests.Where(r => r != Url && !r.StartsWith("data:", StringComparison.Ordinal));

    public Task<T> EvalAsync<T>(string script) => Page.EvaluateExpressionAsync<T>(script);

    public async ValueTask DisposeAsync()
    {
        await Page.CloseAsync();
        File.Delete(new Uri(Url).LocalPath);
    }
}

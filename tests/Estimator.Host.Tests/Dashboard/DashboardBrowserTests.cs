using System.Globalization;
using Estimator.Host.Configuration;
using Microsoft.Playwright;

namespace Estimator.Host.Tests.Dashboard;

/// <summary>
/// Opens the dashboard of a host started here (Kestrel on 127.0.0.1, a random port, a temporary copy of the demo with a
/// 2-second schedule) in Debian's Chromium (<c>apt-get install -y chromium</c>; Playwright drives
/// <c>/usr/bin/chromium</c>, no <c>playwright install</c>), and checks what a person sees: the recurring jobs, the jobs
/// having run, the Models page's numbers for a chunk, and the chart.
/// </summary>
public sealed class DashboardBrowserTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Dashboard_ShowsTheJobsAndTheModelsEstimates_InABrowser()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium");
        var config = EstimatorConfig.Load(TestData.CopyDemo(temp.Path));
        var model = config.Models[0].Definition;
        var expected = TestData.ExpectedCarLoanEstimates(model).First(r => r.Period == "analysis" && r.ChunkKey == "[0:4999]" && r.Metric == "roc_auc");

        // The real store engine behind real Hangfire jobs: nothing is faked.
        await using var app = await TestHosts.StartAsync(config, null, "http://127.0.0.1:0");
        var baseUrl = app.Urls.Single().TrimEnd('/');
        Assert.StartsWith("http://127.0.0.1:", baseUrl, StringComparison.Ordinal);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync();

        // Hangfire's recurring-jobs page lists the model scheduler, which queues the model's jobs on its schedule.
        await page.GotoAsync(baseUrl + "/hangfire/recurring");
        var table = page.Locator("table");
        await Assertions.Expect(table.GetByText("models", new() { Exact = true }).First).ToBeVisibleAsync();
        await Assertions.Expect(table.GetByText("* * * * * *", new() { Exact = true }).First).ToBeVisibleAsync();

        // The "Models" entry of the dashboard's navigation leads to the Models page.
        await page.GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true }).First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(baseUrl + "/hangfire/models");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "car_loan" })).ToBeVisibleAsync();

        // The estimate job runs within seconds; reload until the first chunk's numbers are there.
        // The job writes one file per chunk: wait until the decayed chunks (5-9, which alert) are written too.
        var cell = page.Locator("tr[data-chunk='[0:4999]'] td[data-metric='roc_auc']");
        var lastChunk = page.Locator("tr[data-chunk='[45000:49999]']");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await cell.CountAsync() == 0 || await lastChunk.CountAsync() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no estimates on the Models page within 60 s: " + await page.InnerTextAsync("body"));
            await Task.Delay(1000);
            await page.ReloadAsync();
        }

        await Assertions.Expect(cell.Locator("strong")).ToHaveTextAsync(F(expected.Estimated));
        await Assertions.Expect(cell).ToContainTextAsync($"[{F(expected.LowerConfidenceBound)}, {F(expected.UpperConfidenceBound)}]");
        await Assertions.Expect(page.Locator("th", new() { HasText = "roc_auc" })).ToContainTextAsync($"thresholds {F(expected.LowerThreshold)} – {F(expected.UpperThreshold)}");
        await Assertions.Expect(page.Locator(".estimator-alert").First).ToBeVisibleAsync();

        // The chart: an SVG drawn server-side, with paths (band, lines, thresholds) and visible size.
        var svg = page.Locator(".estimator-chart > svg");
        await Assertions.Expect(svg).ToBeVisibleAsync();
        Assert.True(await svg.Locator("path").CountAsync() > 20);
        var box = await svg.BoundingBoxAsync();
        Assert.True(box is { Width: > 400, Height: > 200 }, "the chart is drawn at a readable size");

        // Other metrics' charts are a click away.
        await page.Locator(".nav-pills").GetByRole(AriaRole.Link, new() { Name = "f1", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".estimator-chart")).ToHaveAttributeAsync("data-metric", "f1");

        // And Hangfire shows the estimate job as succeeded.
        await page.GotoAsync(baseUrl + "/hangfire/jobs/succeeded");
        await Assertions.Expect(page.Locator("table").GetByText("estimate car_loan").First).ToBeVisibleAsync();
    }

    private static string F(double? v) => v!.Value.ToString("0.0000", CultureInfo.InvariantCulture);
}

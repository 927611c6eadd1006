using System.Net.Http.Headers;
using System.Text.Json;
using Estimator.Host.Configuration;
using Hangfire;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Estimator.Host.Tests.Jobs;

/// <summary>A corrupt file among a model's analysis files: set aside, the others estimated, the host quiet but telling.</summary>
public sealed class PoisonFileTests : IDisposable
{
    private const string Token = "poison-file-test-token";
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Host_SetsACorruptFileAside_EstimatesTheOthers_AndShowsTheRejection()
    {
        var config = EstimatorConfig.Load(TestData.CopyDemo(temp.Path, "* * * * * *", $"dashboard: {{ authorization: {{ token: {Token} }} }}\n", seedFiles: 5));
        var model = config.Models[0].Definition;

        // Between part-03 and part-04 in processing order: half of a real Parquet file.
        var analysis = Path.GetDirectoryName(model.Analysis)!;
        var poison = Path.Combine(analysis, "part-03a.parquet");
        var bytes = File.ReadAllBytes(Path.Combine(analysis, "part-04.parquet"));
        File.WriteAllBytes(poison, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        foreach (var file in Directory.GetFiles(analysis))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-5));
        }

        var expected = TestData.ExpectedCarLoanEstimates(model).Where(r => r.Period == "analysis").ToList();
        await using var app = await TestHosts.StartAsync(config, null);
        var store = app.Services.GetRequiredService<IModelStore>();
        await TestHosts.WaitUntilAsync(
            () => store.ReadEstimates("car_loan").Count(r => r.Period == "analysis" && !r.Provisional) == expected.Count,
            TimeSpan.FromSeconds(90),
            "every good file's chunks");

        // The five good files hold the whole analysis: the estimates are those of the whole set.
        var actual = store.ReadEstimates("car_loan").Where(r => r.Period == "analysis").ToList();
        Assert.Equal(expected.Select(r => (r.ChunkKey, r.Metric, r.Estimated)), actual.Select(r => (r.ChunkKey, r.Metric, r.Estimated)));
        var rejected = Assert.Single(store.ReadRejected("car_loan"));
        Assert.Equal(poison, rejected.Path);
        Assert.Contains("part-03a.parquet", rejected.Error, StringComparison.Ordinal);

        // No job storm: the model's jobs keep succeeding while the file stays set aside.
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(0, monitoring.FailedCount());
        Assert.Equal(0, monitoring.ScheduledCount());

        var (status, health) = await app.GetAsLocalAsync("/health");
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        using (var body = JsonDocument.Parse(health))
        {
            Assert.Equal("degraded", body.RootElement.GetProperty("status").GetString());
            Assert.Contains(poison, body.RootElement.GetProperty("checks").GetProperty("models").GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        var (_, metrics) = await app.GetAsLocalAsync("/metrics");
        Assert.Contains("estimator_rejected_files{model=\"car_loan\"} 1\n", metrics, StringComparison.Ordinal);

        using var client = app.GetTestClient();
        Assert.Equal("{\"status\":\"degraded\"}", await client.GetStringAsync(new Uri("/health", UriKind.Relative)));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var page = await client.GetStringAsync(new Uri("/hangfire/models", UriKind.Relative));
        Assert.Contains("estimator-rejected", page, StringComparison.Ordinal);
        Assert.Contains("part-03a.parquet", page, StringComparison.Ordinal);
    }
}

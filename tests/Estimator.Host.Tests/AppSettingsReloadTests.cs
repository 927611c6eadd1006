namespace Estimator.Host.Tests;

/// <summary>
/// <c>appsettings.json</c> beside the configuration still reloads when it changes, although the host no longer watches
/// the configuration's folder (which holds the store) but polls the file.
/// </summary>
public sealed class AppSettingsReloadTests
{
    [Fact]
    public async Task CreateBuilder_ReloadsAppSettings_WhenTheFileChanges()
    {
        using var temp = TestData.NewTempDirectory();
        var path = TestData.CopyDemo(temp.Path);
        var settings = Path.Combine(Path.GetDirectoryName(path)!, "appsettings.json");
        await File.WriteAllTextAsync(settings, """{ "Probe": "before" }""");
        var config = Estimator.Host.Configuration.EstimatorConfig.Load(path);
        var builder = EstimatorHost.CreateBuilder(config, "http://127.0.0.1:0");
        Assert.Equal("before", builder.Configuration["Probe"]);

        await File.WriteAllTextAsync(settings, """{ "Probe": "after" }""");
        File.SetLastWriteTimeUtc(settings, DateTime.UtcNow.AddSeconds(5));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (builder.Configuration["Probe"] != "after" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal("after", builder.Configuration["Probe"]);
    }
}

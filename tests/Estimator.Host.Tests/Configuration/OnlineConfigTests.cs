using Estimator.Host.Configuration;

namespace Estimator.Host.Tests.Configuration;

/// <summary>A model's <c>online</c> section: the window, the ingestion limits, and what it needs of the rest of the model.</summary>
public sealed class OnlineConfigTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public OnlineConfigTests()
    {
        File.WriteAllText(Path.Combine(temp.Path, "ref.csv"), "y_true\n");
        Directory.CreateDirectory(Path.Combine(temp.Path, "in"));
    }

    public void Dispose() => temp.Dispose();

    private EstimatorConfig Load(string modelLines) => TestData.LoadYaml(temp.Path, $"""
        store: ./store
        models:
          - name: fraud
            reference: ref.csv
            schedule: "*/5 * * * *"
        {modelLines}
        """);

    [Fact]
    public void Load_ReadsAnOnlineOnlyModel_WithTheStoreFoldersAsItsSourcesAndChunksOfTheWindow()
    {
        var config = Load("""
                id_column: id
                online: { window: 5000, token: "0123456789abcdef0123", max_body_bytes: 1048576, max_in_flight: 8 }
            """);

        var model = Assert.Single(config.Models);
        var online = Path.Combine(temp.Path, "store", "fraud", "online");
        Assert.Equal(Path.Combine(online, "inbox"), model.Definition.Analysis);
        Assert.Equal(Path.Combine(online, "inbox"), model.Definition.OnlineInbox);
        Assert.Equal(Path.Combine(online, "labels"), model.Definition.Targets);
        Assert.Equal(Chunking.BySize(5000), model.Definition.Options.Chunking);
        Assert.NotNull(model.ReconcileSchedule);
        Assert.Equal((5000, "0123456789abcdef0123", 1048576L, 8), (model.Online!.Window, model.Online.Token, model.Online.MaxBodyBytes, model.Online.MaxInFlight));
        Assert.DoesNotContain("0123456789abcdef0123", model.Online.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KeepsFileAnalysisBesideOnline_AndDefaultsTheLimits()
    {
        var config = Load("""
                analysis: in
                id_column: id
                chunking: { size: 100 }
                online: { window: 100 }
            """);

        var model = Assert.Single(config.Models);
        Assert.Equal(Path.Combine(temp.Path, "in"), model.Definition.Analysis);
        Assert.EndsWith(Path.Combine("fraud", "online", "inbox"), model.Definition.OnlineInbox, StringComparison.Ordinal);
        Assert.Equal((OnlineConfig.DefaultMaxBodyBytes, OnlineConfig.DefaultMaxInFlight), (model.Online!.MaxBodyBytes, model.Online.MaxInFlight));
        Assert.Null(model.Online.Token);
    }

    [Fact]
    public void Load_ReadsAShiftAwareOnlineModel_WithItsFeaturesAndRefreshInterval()
    {
        var config = Load("""
                id_column: id
                estimator: weighted
                features: [x1, g]
                online: { window: 100, refresh_ms: 250 }
            """);

        var model = Assert.Single(config.Models);
        Assert.True(model.Definition.IsShiftAware());
        Assert.Equal(["x1", "g"], model.Definition.Features);
        Assert.Equal(TimeSpan.FromMilliseconds(250), model.Online!.RefreshInterval);
    }

    [Fact]
    public void Load_StillRequiresAnalysis_WithoutOnline()
    {
        var e = Assert.Throws<EstimatorConfigException>(() => Load("    id_column: id"));
        Assert.Contains(e.Problems, p => p.KeyPath == "models[0].analysis" && p.Message == "missing" && p.Line == 3);
    }

    [Theory]
    [InlineData("    id_column: id\n    online: { window: 0 }", "7:23: models[0].online.window: expected a positive whole number")]
    [InlineData("    id_column: id\n    online: { window: 10, size: 3 }", "7:27: models[0].online.size: unknown key 'size'")]
    [InlineData("    id_column: id\n    online: { window: 10, token: short }", "7:13: models[0].online.token: too short: use at least 16 characters")]
    [InlineData("    online: { window: 10 }", "6:13: models[0].online: needs id_column: posted rows and labels are joined by id")]
    [InlineData("    id_column: id\n    chunking: { size: 50 }\n    online: { window: 10 }", "7:15: models[0].chunking: an online model is chunked by its window: give {size: 10} or leave chunking out")]
    [InlineData("    id_column: id\n    online: { window: 10 }\n    columns: { y_pred_proba: { a: pa, b: pb } }", "7:13: models[0].online: online: is supported for binary classification models (one y_pred_proba column); this model is multiclass")]
    [InlineData("    id_column: id\n    online: { window: 10 }\n    drift: { columns: [x] }", "8:12: models[0].drift: not available with online")]
    [InlineData("    id_column: id\n    columns: { timestamp: ts }\n    estimator: weighted\n    features: [x1, ts]\n    online: { window: 10 }", "9:20: models[0].features: 'ts' is the model's timestamp column; a posted row carries its features beside its own columns")]
    [InlineData("    id_column: id\n    estimator: auto\n    features: [id, x1]\n    online: { window: 10 }", "8:16: models[0].features: 'id' is the model's id_column column")]
    [InlineData("    id_column: id\n    online: { window: 10, refresh_ms: 500 }", "7:39: models[0].online.refresh_ms: paces a shift-aware window (estimator: auto, weighted or prior); this model's window is plain CBPE")]
    [InlineData("    id_column: id\n    estimator: prior\n    online: { window: 10, refresh_ms: 0 }", "8:39: models[0].online.refresh_ms: expected a positive whole number")]
    public void Load_NamesFileLineAndColumn_ForEachOnlineMistake(string lines, string problem)
    {
        var e = Assert.Throws<EstimatorConfigException>(() => Load(lines));

        var file = Path.Combine(temp.Path, "estimator.yaml");
        Assert.Contains(e.Problems, p => p.ToString().StartsWith(file + ":" + problem, StringComparison.Ordinal));
    }
}

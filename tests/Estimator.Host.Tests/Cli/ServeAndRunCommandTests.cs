using Estimator.Cli;
using Estimator.Host.Configuration;

namespace Estimator.Host.Tests.Cli;

public sealed class ServeAndRunCommandTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("serve")]
    [InlineData("run")]
    public void Command_ListsEveryConfigProblemOnItsOwnLine_AndExits2(string command)
    {
        var path = Path.Combine(temp.Path, "bad.yaml");
        File.WriteAllText(path, "colour: blue\nmodels:\n  - name: ../x\n    schedule: nope\n");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = EstimatorCli.Run([command, "--config", path], stdout, stderr);

        Assert.Equal(2, exit);
        var lines = stderr.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                $"error: {path}:1:1: colour: unknown key 'colour'; expected one of: store, storage, dashboard, notify, delivery, metrics, work_item_rows, work_item_grace_seconds, worker_threads, progress_log_seconds, models",
                $"error: {path}:3:5: models[0].reference: missing",
                $"error: {path}:3:5: models[0].analysis: missing",
                $"error: {path}:3:11: models[0].name: unsafe model name '../x': it names a folder in the store, so it may not contain path separators or '..'",
                $"error: {path}:4:15: models[0].schedule: 'nope' is not a cron expression: expected 5 fields (minute hour day month weekday) or 6 (with seconds first), got 1",
            ],
            lines);
    }

    [Fact]
    public void Serve_RequiresConfig()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(2, EstimatorCli.Run(["serve"], stdout, stderr));
        Assert.Contains("--config", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_RunsEveryModel_AndAFailingModelDoesNotStopTheOthers()
    {
        var config = ThreeModels();
        var store = new FakeModelStore(config.StoreDirectory);
        store.Failing.Add("b");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = RunCommand.Run(config, store, null, stdout, stderr, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Equal(["calibrate a", "estimate a", "alerts a", "calibrate b", "calibrate c", "estimate c", "alerts c"], store.Calls);
        Assert.Contains("a: estimate: run fake-run", stdout.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("error: b: ", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("y_pred_proba", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SaysNothingNew_InsteadOfAnEmptyRunId()
    {
        var config = ThreeModels();
        var store = new FakeModelStore(config.StoreDirectory);
        store.NothingNew.Add("c");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        Assert.Equal(0, RunCommand.Run(config, store, "c", stdout, stderr, CancellationToken.None));
        Assert.Contains("c: estimate: nothing new" + Environment.NewLine, stdout.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("run ,", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_RunsOneModel_WhenNamed_AndRejectsAnUnknownName()
    {
        var config = ThreeModels();
        var store = new FakeModelStore(config.StoreDirectory);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        Assert.Equal(0, RunCommand.Run(config, store, "c", stdout, stderr, CancellationToken.None));
        Assert.Equal(["calibrate c", "estimate c", "alerts c"], store.Calls);
        Assert.Equal(2, RunCommand.Run(config, store, "zzz", stdout, stderr, CancellationToken.None));
        Assert.Contains("no model 'zzz'", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("models: a, b, c", stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("notaurl", "--urls 'notaurl': not a URL to listen on; use http://HOST:PORT or https://HOST:PORT (e.g. http://127.0.0.1:5000)")]
    [InlineData("ftp://127.0.0.1:5000", "--urls 'ftp://127.0.0.1:5000': not a URL to listen on; use http://HOST:PORT or https://HOST:PORT (e.g. http://127.0.0.1:5000)")]
    [InlineData(" ; ", "--urls: no URL given (e.g. http://127.0.0.1:5000)")]
    public void Serve_RejectsABadUrl_InOneLine_BeforeStarting(string urls, string message)
    {
        var config = Path.Combine(temp.Path, "estimator.yaml");
        File.WriteAllText(config, OneModelYaml());
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = EstimatorCli.Run(["serve", "--config", config, "--urls", urls], stdout, stderr);

        Assert.Equal(2, exit);
        Assert.Equal($"error: {message}", stderr.ToString().Trim());
        Assert.Equal("", stdout.ToString());
    }

    [Fact]
    public void Serve_NamesAPortInUse_InOneLine_BeforeStarting()
    {
        var config = Path.Combine(temp.Path, "estimator.yaml");
        File.WriteAllText(config, OneModelYaml());
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();

            var exit = EstimatorCli.Run(["serve", "--config", config, "--urls", $"http://127.0.0.1:{port}"], stdout, stderr);

            Assert.Equal(2, exit);
            Assert.Equal($"error: --urls 'http://127.0.0.1:{port}': port {port} is already in use on 127.0.0.1 (another process listens there); choose another port", stderr.ToString().Trim());
        }
        finally
        {
            listener.Stop();
        }
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("run")]
    public void StoreThatIsAFile_IsAConfigError_AtStart(string command)
    {
        var config = Path.Combine(temp.Path, "estimator.yaml");
        File.WriteAllText(Path.Combine(temp.Path, "store.txt"), "not a directory");
        File.WriteAllText(config, "store: store.txt/inner\n" + OneModelYaml());
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = EstimatorCli.Run([command, "--config", config], stdout, stderr);

        Assert.Equal(2, exit);
        var store = Path.Combine(temp.Path, "store.txt");
        Assert.Equal(
            $"error: {config}:1:8: store: '{store}' (a folder above '{Path.Combine(store, "inner")}') is a file; the store must be a directory (it is created when missing)",
            stderr.ToString().Trim());
        Assert.Equal("not a directory", File.ReadAllText(store));
    }

    private string OneModelYaml()
    {
        File.Copy(TestData.CarLoanReference, Path.Combine(temp.Path, "reference.parquet"), overwrite: true);
        Directory.CreateDirectory(Path.Combine(temp.Path, "in"));
        return "models:\n  - name: a\n    reference: reference.parquet\n    analysis: in\n    columns: { y_true: repaid }\n    schedule: \"* * * * *\"\n";
    }

    private EstimatorConfig ThreeModels()
    {
        File.Copy(TestData.CarLoanReference, Path.Combine(temp.Path, "reference.parquet"));
        Directory.CreateDirectory(Path.Combine(temp.Path, "in"));
        var models = string.Concat(new[] { "a", "b", "c" }.Select(n => $"""
              - name: {n}
                reference: reference.parquet
                analysis: in
                columns: {"{"} y_true: repaid {"}"}
                schedule: "* * * * *"

            """));
        return TestData.LoadYaml(temp.Path, "models:\n" + models);
    }
}

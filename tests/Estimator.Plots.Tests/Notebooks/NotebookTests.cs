using System.Text.Json;
using Estimator.Scenarios;

namespace Estimator.Tests.Notebooks;

/// <summary>Notebooks capture the console and change the current directory: run them one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookRuns
{
    public const string Name = "Notebooks";
}

/// <summary>
/// Executes every code cell of each notebook in order with shared state and checks its key result against numbers
/// computed independently (NannyML's fixture, or the generator's labels counted here). Set
/// <c>ESTIMATOR_UPDATE_NOTEBOOKS=1</c> to write the outputs into the notebooks.
/// </summary>
[Collection(NotebookRuns.Name)]
public class NotebookTests
{
    [Fact]
    public async Task Quickstart_RunsAndMatchesNannyMl()
    {
        var state = await NotebookRunner.RunAsync(Notebook("01-quickstart.ipynb"));
        using var fixture = Fixture();
        var chunks = fixture.RootElement.GetProperty("chunks");
        var firstAnalysis = chunks.EnumerateArray().First(c => c.GetProperty("period").GetString() == "analysis");

        Assert.Equal(fixture.RootElement.GetProperty("n_chunks").GetProperty("analysis").GetInt32(), (int)state.GetVariable("analysisChunks").Value);
        dynamic result = state.GetVariable("result").Value;
        var rows = ((IEnumerable<object>)result.Rows).Cast<dynamic>().ToList();
        var first = rows.First(r => r.Period.ToString() == "Analysis" && r.Metric == "roc_auc");
        Assert.Equal(firstAnalysis.GetProperty("key").GetString(), (string)first.Chunk.Key);
        var expected = firstAnalysis.GetProperty("metrics").GetProperty("roc_auc").GetProperty("estimated").GetDouble();
        Assert.Equal(expected, (double)first.Estimated, 1e-9);
    }

    [Fact]
    public async Task LabelsArrive_ReconcilesBothBatches_RealizedAndCoverageMatchNannyMl()
    {
        var state = await NotebookRunner.RunAsync(Notebook("02-labels-arrive.ipynb"));
        using var fixture = Fixture();
        var analysis = fixture.RootElement.GetProperty("chunks").EnumerateArray().Where(c => c.GetProperty("period").GetString() == "analysis").ToList();
        var metrics = fixture.RootElement.GetProperty("config").GetProperty("metrics").EnumerateArray().Select(m => m.GetString()!).ToList();

        // First batch: labels for the first 27,500 rows of 5,000-row chunks — chunks 0-4 complete, chunk 5 half, 6-9 pending.
        var firstLedger = ((IEnumerable<object>)state.GetVariable("firstLedger").Value).Cast<dynamic>().ToList();
        Assert.Equal(6 * metrics.Count, firstLedger.Count);
        foreach (var row in firstLedger)
        {
            Assert.Equal((int)row.ChunkIndex == 5 ? 0.5 : 0.0, (double)row.TargetsMissingRate, 12);
        }

        dynamic first = state.GetVariable("first").Value;
        Assert.Equal(5, (int)first.Summary.ChunksComplete);
        Assert.Equal(6, (int)first.Summary.ChunksWithLabels);

        // All labels in: every chunk x metric realized as NannyML computed it; coverage per metric is the share of chunks
        // whose fixture realized value lies inside the fixture band.
        var ledger = ((IEnumerable<object>)state.GetVariable("ledger").Value).Cast<dynamic>().ToList();
        Assert.Equal(analysis.Count * metrics.Count, ledger.Count);
        foreach (var row in ledger)
        {
            var expected = analysis[(int)row.ChunkIndex].GetProperty("metrics").GetProperty((string)row.Metric).GetProperty("realized").GetDouble();
            Assert.Equal(expected, (double)row.Realized, 9);
            Assert.Equal(0.0, (double)row.TargetsMissingRate);
        }

        dynamic summary = state.GetVariable("summary").Value;
        Assert.Equal(analysis.Count, (int)summary.ChunksComplete);
        var coverage = ((IEnumerable<object>)summary.Metrics).Cast<dynamic>().ToDictionary(m => (string)m.Metric, m => (double)m.Coverage);
        Assert.Equal(metrics.Order(), coverage.Keys.Order());
        foreach (var metric in metrics)
        {
            var inside = analysis.Count(c =>
            {
                var m = c.GetProperty("metrics").GetProperty(metric);
                var realized = m.GetProperty("realized").GetDouble();
                return realized >= m.GetProperty("lower_confidence_bound").GetDouble() && realized <= m.GetProperty("upper_confidence_bound").GetDouble();
            });
            Assert.Equal(inside / (double)analysis.Count, coverage[metric], 12);
        }
    }

    [Fact]
    public async Task WhereEstimationBreaks_RunsAndShowsTrackingAndFailure()
    {
        var state = await NotebookRunner.RunAsync(Notebook("03-where-estimation-breaks.ipynb"));
        var results = (System.Collections.IDictionary)state.GetVariable("results").Value;

        // Realized accuracy counted here from the generator's labels (same seed and size as the notebook).
        foreach (var (scenario, holds) in new[] { (Scenario.Stable, true), (Scenario.CovariateShift, true), (Scenario.ConceptDrift, false) })
        {
            var data = ScenarioGenerator.Generate(scenario, new ScenarioOptions { ReferenceRows = 20_000, AnalysisRows = 20_000, Seed = 42 });
            dynamic result = results[scenario.ToName()]!;
            var estimates = ((IEnumerable<object>)result.Rows).Cast<dynamic>()
                .Where(r => r.Period.ToString() == "Analysis" && r.Metric == "accuracy").ToList();
            Assert.Equal(10, estimates.Count);
            for (var c = 5; c < 10; c++)
            {
                var correct = 0;
                for (var i = c * 2000; i < (c + 1) * 2000; i++)
                {
                    correct += data.Analysis.Predictions[i] == data.Analysis.Targets[i] ? 1 : 0;
                }

                var gap = Math.Abs((double)estimates[c].Estimated - (correct / 2000.0));
                Assert.True(holds ? gap < 0.03 : gap > 0.1, $"{scenario} chunk {c}: |estimated - realized| = {gap}");
            }
        }
    }

    [Fact]
    public async Task SlosAndAlerts_FlagsVerdictsAndBudget_MatchNannyMlBands()
    {
        var state = await NotebookRunner.RunAsync(Notebook("04-slos-and-alerts.ipynb"));
        using var fixture = Fixture();
        var analysis = fixture.RootElement.GetProperty("chunks").EnumerateArray().Where(c => c.GetProperty("period").GetString() == "analysis").ToList();
        var objectives = (Dictionary<string, double>)state.GetVariable("objectives").Value;
        Assert.Equal(0.965, objectives["roc_auc"]);
        dynamic objectiveFlags = state.GetVariable("objectiveFlags").Value;

        // Per chunk, from NannyML's band: whole band below the objective pages (P1), the estimate below it tickets (P2).
        var expectedVerdicts = new List<(string Metric, string Chunk, string Verdict)>();
        foreach (var (metric, objective) in objectives)
        {
            var flags = ((IEnumerable<object>)objectiveFlags[metric]).Cast<dynamic>().ToList();
            Assert.Equal(analysis.Count, flags.Count);
            for (var c = 0; c < analysis.Count; c++)
            {
                var m = analysis[c].GetProperty("metrics").GetProperty(metric);
                var expected = m.GetProperty("upper_confidence_bound").GetDouble() < objective ? "P1"
                    : m.GetProperty("estimated").GetDouble() < objective ? "P2"
                    : "None";
                Assert.Equal(analysis[c].GetProperty("key").GetString(), (string)flags[c].Point.ChunkKey);
                Assert.Equal(expected, flags[c].Severity.ToString());
                if (expected != "None")
                {
                    expectedVerdicts.Add((metric, analysis[c].GetProperty("key").GetString()!, m.GetProperty("realized").GetDouble() < objective ? "Confirmed" : "Retracted"));
                }
            }
        }

        // The decayed chunks 5-9 all miss roc_auc >= 0.965 with the band reaching it: tickets, no page.
        var roc = ((IEnumerable<object>)objectiveFlags["roc_auc"]).Cast<dynamic>().Select(f => (string)f.Severity.ToString()).ToList();
        Assert.Equal(Enumerable.Repeat("None", 5).Concat(Enumerable.Repeat("P2", 5)), roc);

        // Confirmed when the realized value (NannyML's) is below the objective, else retracted.
        var verdicts = ((System.Collections.IEnumerable)state.GetVariable("verdicts").Value).Cast<dynamic>()
            .Select(v => ((string)v.Item1, (string)v.Item2, (string)v.Item6.ToString())).ToList();
        Assert.Equal(expectedVerdicts, verdicts);

        // Budget after the last chunk: misses of 0.965 among the 10 analysis estimates, budget 10 % of a 10-chunk window.
        var misses = analysis.Count(c => c.GetProperty("metrics").GetProperty("roc_auc").GetProperty("estimated").GetDouble() < 0.965);
        dynamic last = ((IEnumerable<object>)state.GetVariable("budgets").Value).Cast<dynamic>().Last();
        Assert.Equal(misses, (int)last.BadChunks);
        Assert.Equal(misses / 10.0 / 0.1, (double)last.BurnRate, 12);
    }

    [Fact]
    public async Task ReadingTheStore_RunsAndReadsEveryRecord()
    {
        var state = await NotebookRunner.RunAsync(Notebook("05-reading-the-store.ipynb"));
        using var fixture = Fixture();
        var root = fixture.RootElement;
        var chunks = root.GetProperty("n_chunks").GetProperty("reference").GetInt32() + root.GetProperty("n_chunks").GetProperty("analysis").GetInt32();
        var metrics = root.GetProperty("config").GetProperty("metrics").GetArrayLength();
        var alerts = root.GetProperty("alerts").EnumerateObject().Sum(a => a.Value.GetInt32());

        var records = (System.Collections.ICollection)state.GetVariable("records").Value;
        Assert.Equal(chunks * metrics, records.Count);
        Assert.Equal(alerts, (int)state.GetVariable("alertCount").Value);
        Assert.True((bool)state.GetVariable("csvRoundTrips").Value, "the CSV estimate file must read back to the Parquet one's records");
    }

    [Fact]
    public async Task Regression_RealizedMaeIsTheBruteForceOne_AndTheEstimateRisesWithTheShift()
    {
        var state = await NotebookRunner.RunAsync(Notebook("07-regression.ipynb"));

        // datasets/regression is the generator's world with the options its README gives; counted here from its arrays.
        var world = RegressionScenarioGenerator.Generate(Scenario.RegressionCovariateShift, new ScenarioOptions { ReferenceRows = 18_000, AnalysisRows = 18_000, Seed = 42 }).Analysis;
        dynamic labelled = state.GetVariable("labelled").Value;
        var rows = ((IEnumerable<object>)labelled.Rows).Cast<dynamic>().Where(r => r.Period.ToString() == "Analysis").ToList();
        var mae = rows.Where(r => r.Metric == "mae").ToList();
        var rmse = rows.Where(r => r.Metric == "rmse").ToList();
        Assert.Equal(12, mae.Count);
        var truth = new double[12];
        for (var c = 0; c < 12; c++)
        {
            var chunk = Enumerable.Range(c * 1500, 1500).ToList();
            Assert.Equal(chunk.Average(i => Math.Abs(world.Targets[i] - world.Predictions[i])), (double)mae[c].Realized, 9);
            Assert.Equal(Math.Sqrt(chunk.Average(i => Math.Pow(world.Targets[i] - world.Predictions[i], 2))), (double)rmse[c].Realized, 9);
            truth[c] = chunk.Average(i => world.ExpectedAbsoluteErrors[i]);
        }

        // Before any label: the estimates of the fully shifted chunks (7-11) lie well above those before the shift (0-3)
        // and near each chunk's true expected MAE.
        var before = Enumerable.Range(0, 4).Max(c => (double)mae[c].Estimated);
        for (var c = 7; c < 12; c++)
        {
            Assert.True((double)mae[c].Estimated > before + 0.5, $"chunk {c}: estimated MAE {mae[c].Estimated} vs at most {before} before the shift");
            Assert.True(Math.Abs((double)mae[c].Estimated - truth[c]) < 0.3, $"chunk {c}: estimated MAE {mae[c].Estimated}, true expected {truth[c]}");
        }
    }

    [Fact]
    public async Task ShiftRobust_RealizedValuesAreTheGeneratorsLabels_AndAutoFollowsTheSubgroupShiftCbpeMisses()
    {
        var state = await NotebookRunner.RunAsync(Notebook("08-shift-robust-estimation.ipynb"));

        // Realized accuracy per chunk, counted here from the generator's labels and predictions (the same seed and size).
        var results = (System.Collections.IDictionary)state.GetVariable("results").Value;
        Assert.Equal(20, results.Count);
        foreach (var family in Enum.GetValues<Estimator.Scenarios.Shift.ShiftWorldFamily>())
        {
            var world = Estimator.Scenarios.Shift.ShiftWorldGenerator.Generate(family, seed: 7, referenceRows: 20_000).Analysis;
            dynamic auto = results[(Estimator.Scenarios.Shift.ShiftWorldFamilies.Name(family), "auto")]!;
            var accuracy = ((IEnumerable<object>)auto.Rows).Cast<dynamic>().Where(r => r.Period.ToString() == "Analysis" && r.Metric == "accuracy").ToList();
            Assert.Equal(12, accuracy.Count);
            for (var c = 0; c < 12; c++)
            {
                var correct = Enumerable.Range(c * 5000, 5000).Count(i => world.Predictions[i] == world.Targets[i]);
                Assert.Equal(correct / 5000.0, (double)accuracy[c].Realized, 12);
            }
        }

        // The table's subgroup-shift roc_auc row: auto's error over the shifted chunks is well under CBPE's.
        var table = ((System.Collections.IEnumerable)state.GetVariable("table").Value).Cast<object>().Select(r => ((System.Runtime.CompilerServices.ITuple)r)).ToList();
        var subgroup = table.Single(r => (string)r[0]! == "covariate_shift_subgroup" && (string)r[1]! == "roc_auc");
        Assert.True((double)subgroup[5]! < (double)subgroup[2]! / 2, $"auto {subgroup[5]} vs cbpe {subgroup[2]}");
    }

    [Fact]
    public void Notebooks_AreCSharpPolyglotNotebooksOpeningWithASentence()
    {
        var paths = Directory.GetFiles(Path.Combine(CarLoan.RepositoryRoot, "notebooks"), "*.ipynb");
        Assert.Equal(8, paths.Length);
        foreach (var path in paths)
        {
            using var notebook = JsonDocument.Parse(File.ReadAllText(path));
            var cells = notebook.RootElement.GetProperty("cells").EnumerateArray().ToList();
            Assert.Equal("markdown", cells[0].GetProperty("cell_type").GetString());
            Assert.Contains("This notebook", string.Concat(cells[0].GetProperty("source").EnumerateArray().Select(l => l.GetString())), StringComparison.Ordinal);
            var code = cells.Where(c => c.GetProperty("cell_type").GetString() == "code").ToList();
            Assert.All(code, cell => Assert.Equal("csharp", cell.GetProperty("metadata").GetProperty("polyglot_notebook").GetProperty("kernelName").GetString()));

            // Outputs are saved (every cell after the one that loads the libraries shows something).
            Assert.All(code.Skip(1), cell => Assert.NotEqual(0, cell.GetProperty("outputs").GetArrayLength()));
        }
    }

    [Fact]
    public void Notebooks_LoadThePackagesOfThisVersionFromTheLocalFeed()
    {
        // The version the notebooks ask for is the one Directory.Build.props gives every package.
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(CarLoan.RepositoryRoot, "Directory.Build.props"));
        var version = props.Descendants("VersionPrefix").Single().Value;
        foreach (var path in Directory.GetFiles(Path.Combine(CarLoan.RepositoryRoot, "notebooks"), "*.ipynb"))
        {
            using var notebook = JsonDocument.Parse(File.ReadAllText(path));
            var first = notebook.RootElement.GetProperty("cells").EnumerateArray().First(c => c.GetProperty("cell_type").GetString() == "code");
            var code = string.Concat(first.GetProperty("source").EnumerateArray().Select(l => l.GetString()));
            Assert.Contains("System.IO.Path.GetFullPath(\"../artifacts/packages\")", code, StringComparison.Ordinal);
            Assert.Contains("#i \\\"nuget: {feed}\\\"", code, StringComparison.Ordinal);
            var packages = System.Text.RegularExpressions.Regex.Matches(code, "#r \\\\\"nuget: ([^,]+), ([^\\\\]+)\\\\\"").Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
            Assert.Contains(("Estimator.Plots", version), packages);
            Assert.All(packages, p => Assert.Equal(version, p.Item2));
        }
    }

    private static string Notebook(string name) => Path.Combine(CarLoan.RepositoryRoot, "notebooks", name);

    private static JsonDocument Fixture() => JsonDocument.Parse(File.ReadAllText(Path.Combine(
        CarLoan.RepositoryRoot, "tests", "Estimator.Core.Tests", "Fixtures", "car_loan", "expected", "chunk_size_5000.json")));
}

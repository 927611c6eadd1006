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
    public async Task LabelsArrive_RunsAndRealizedMatchesNannyMl()
    {
        var state = await NotebookRunner.RunAsync(Notebook("02-labels-arrive.ipynb"));
        using var fixture = Fixture();
        var analysis = fixture.RootElement.GetProperty("chunks").EnumerateArray().Where(c => c.GetProperty("period").GetString() == "analysis").ToList();

        dynamic result = state.GetVariable("result").Value;
        var rows = ((IEnumerable<object>)result.Rows).Cast<dynamic>().Where(r => r.Period.ToString() == "Analysis" && r.Metric == "roc_auc").ToList();
        Assert.Equal(analysis.Count, rows.Count);
        var inside = 0;
        for (var c = 0; c < rows.Count; c++)
        {
            var realized = analysis[c].GetProperty("metrics").GetProperty("roc_auc").GetProperty("realized").GetDouble();
            Assert.Equal(realized, (double)rows[c].Realized, 1e-9);
            inside += realized >= (double)rows[c].LowerConfidenceBound && realized <= (double)rows[c].UpperConfidenceBound ? 1 : 0;
        }

        var coverage = (Dictionary<string, double>)state.GetVariable("coverage").Value;
        Assert.Equal(inside / (double)rows.Count, coverage["roc_auc"], 12);
        Assert.Equal(6, coverage.Count);
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
    }

    [Fact]
    public void Notebooks_AreCSharpPolyglotNotebooksOpeningWithASentence()
    {
        var paths = Directory.GetFiles(Path.Combine(CarLoan.RepositoryRoot, "notebooks"), "*.ipynb");
        Assert.Equal(4, paths.Length);
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

    private static string Notebook(string name) => Path.Combine(CarLoan.RepositoryRoot, "notebooks", name);

    private static JsonDocument Fixture() => JsonDocument.Parse(File.ReadAllText(Path.Combine(
        CarLoan.RepositoryRoot, "tests", "Estimator.Core.Tests", "Fixtures", "car_loan", "expected", "chunk_size_5000.json")));
}

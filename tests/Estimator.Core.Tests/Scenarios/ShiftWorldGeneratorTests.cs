using System.Text.Json;
using Estimator.Scenarios.Shift;

namespace Estimator.Tests.Scenarios;

/// <summary>
/// The regenerated worlds against the shared worlds' meta.json (written by the Python generator that made the shared
/// files): with another seed, the fitted model's coefficients and the positive rates must land where the shared
/// world's did, within sampling error.
/// </summary>
public sealed class ShiftWorldGeneratorTests
{
    [Theory]
    [InlineData(ShiftWorldFamily.Stable)]
    [InlineData(ShiftWorldFamily.CovariateShiftBenign)]
    [InlineData(ShiftWorldFamily.CovariateShiftSubgroup)]
    [InlineData(ShiftWorldFamily.ConceptDrift)]
    [InlineData(ShiftWorldFamily.PriorShift)]
    public void Generate_MatchesTheSharedWorldsMeta_WithAnotherSeed(ShiftWorldFamily family)
    {
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedScenarios.Root, family.Name(), "meta.json")));
        var root = meta.RootElement;

        var world = ShiftWorldGenerator.Generate(family, seed: 11);

        var coefficients = root.GetProperty("model").GetProperty("coef").EnumerateArray().Select(e => e.GetDouble()).ToList();
        var intercept = root.GetProperty("model").GetProperty("intercept").GetDouble();
        Assert.Equal(coefficients.Count + 1, world.ModelCoefficients.Length);

        // 0.15: about 3.5 standard errors of the difference of two fits on 50,000 rows (the group coefficients are the loosest).
        for (var c = 0; c < coefficients.Count; c++)
        {
            Assert.InRange(world.ModelCoefficients[c], coefficients[c] - 0.15, coefficients[c] + 0.15);
        }

        Assert.InRange(world.ModelCoefficients[^1], intercept - 0.15, intercept + 0.15);
        Assert.InRange(world.Reference.Targets.Average(), root.GetProperty("reference_positive_rate").GetDouble() - 0.012, root.GetProperty("reference_positive_rate").GetDouble() + 0.012);

        // The shifted end (chunks 7–11, intensity 1): the mean positive rate of the shared world's five chunks.
        var rates = root.GetProperty("analysis_positive_rate_by_chunk").EnumerateArray().Select(e => e.GetDouble()).ToList();
        var expectedEnd = rates.Skip(7).Average();
        var end = world.Analysis.Targets.AsSpan(7 * ShiftWorldGenerator.ChunkRows).ToArray().Average();
        Assert.InRange(end, expectedEnd - 0.02, expectedEnd + 0.02);
        Assert.Equal(60_000, world.Analysis.Count);
    }

    [Fact]
    public void Generate_IsDeterministic_ForASeed()
    {
        var a = ShiftWorldGenerator.Generate(ShiftWorldFamily.PriorShift, 5, referenceRows: 1000);
        var b = ShiftWorldGenerator.Generate(ShiftWorldFamily.PriorShift, 5, referenceRows: 1000);
        var c = ShiftWorldGenerator.Generate(ShiftWorldFamily.PriorShift, 6, referenceRows: 1000);

        Assert.Equal(a.Analysis.Scores, b.Analysis.Scores);
        Assert.NotEqual(a.Analysis.Scores, c.Analysis.Scores);
    }
}

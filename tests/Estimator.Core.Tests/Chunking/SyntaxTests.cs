using Estimator.Metrics;
using Estimator.Thresholds;

namespace Estimator.Tests.Chunks;

/// <summary>The text forms every edge (command line, configuration) parses through Core.</summary>
public sealed class SyntaxTests
{
    [Theory]
    [InlineData("day", ChunkPeriod.Day)]
    [InlineData("D", ChunkPeriod.Day)]
    [InlineData("Week", ChunkPeriod.Week)]
    [InlineData("M", ChunkPeriod.Month)]
    [InlineData(" quarter ", ChunkPeriod.Quarter)]
    [InlineData("YEAR", ChunkPeriod.Year)]
    public void TryParsePeriod_AcceptsNamesAndPandasOffsets(string text, ChunkPeriod expected)
    {
        Assert.True(ChunkingSyntax.TryParsePeriod(text, out var period, out var error));
        Assert.Equal(expected, period);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("fortnight")]
    [InlineData("m")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParsePeriod_ExplainsTheSpellings_WhenUnknown(string? text)
    {
        Assert.False(ChunkingSyntax.TryParsePeriod(text, out _, out var error));
        Assert.Contains("day, week, month, quarter or year", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("2147483647", int.MaxValue)]
    [InlineData(" 5000 ", 5000)]
    public void TryParseCount_AcceptsPositiveWholeNumbers(string text, int expected)
    {
        Assert.True(ChunkingSyntax.TryParseCount(text, out var value, out _));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("abc", "not a whole number")]
    [InlineData("1.5", "not a whole number")]
    [InlineData("0", "out of range")]
    [InlineData("-4", "out of range")]
    [InlineData("2147483648", "out of range")]
    [InlineData("99999999999999999999", "not a whole number")]
    public void TryParseCount_RefusesWithAReason(string text, string reason)
    {
        Assert.False(ChunkingSyntax.TryParseCount(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_BuildsEachRule_AndRefusesCombinations()
    {
        Assert.True(ChunkingSyntax.TryCreate(null, null, null, null, out var none, out _));
        Assert.Equal(Chunking.Default, none);
        Assert.True(ChunkingSyntax.TryCreate(500, null, null, IncompleteChunk.Drop, out var size, out _));
        Assert.Equal(Chunking.BySize(500, IncompleteChunk.Drop), size);
        Assert.True(ChunkingSyntax.TryCreate(null, 7, null, null, out var number, out _));
        Assert.Equal(Chunking.ByNumber(7), number);
        Assert.True(ChunkingSyntax.TryCreate(null, null, ChunkPeriod.Month, null, out var period, out _));
        Assert.Equal(Chunking.ByPeriod(ChunkPeriod.Month), period);
        Assert.False(ChunkingSyntax.TryCreate(5, 7, null, null, out _, out var both));
        Assert.Contains("only one", both, StringComparison.Ordinal);
        Assert.False(ChunkingSyntax.TryCreate(null, null, ChunkPeriod.Day, IncompleteChunk.Keep, out _, out var rule));
        Assert.Contains("period chunks take no rule", rule, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("car_loan", true)]
    [InlineData("fraud-v2.1", true)]
    [InlineData("a", true)]
    [InlineData("", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("a..b", false)]
    [InlineData("a/b", false)]
    [InlineData("a b", false)]
    [InlineData("modèle", false)]
    public void ModelNames_FollowTheStoreFolderRule(string name, bool valid)
    {
        Assert.Equal(valid, ModelNames.IsValid(name, out var error));
        Assert.Equal(valid, error is null);
    }

    [Fact]
    public void ModelNames_AllowAHundredCharacters_AndNoMore()
    {
        Assert.True(ModelNames.IsValid(new string('m', 100)));
        Assert.False(ModelNames.IsValid(new string('m', 101), out var error));
        Assert.Contains("101 characters; at most 100", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ThresholdSyntax_ParsesBothKinds_WithDisabledSides()
    {
        Assert.True(ThresholdSyntax.TryParse("roc_auc=std:2,", out var metric, out var threshold, out _));
        Assert.Equal(Metric.RocAuc, metric);
        Assert.Equal(Threshold.StandardDeviation(2, null), threshold);
        Assert.True(ThresholdSyntax.TryParse("f1=constant:0.7,0.95", out metric, out threshold, out _));
        Assert.Equal(Metric.F1, metric);
        Assert.Equal(Threshold.Constant(0.7, 0.95), threshold);
        Assert.True(ThresholdSyntax.TryParse("accuracy=standard_deviation:,3", out _, out threshold, out _));
        Assert.Equal(Threshold.StandardDeviation(null, 3), threshold);
    }

    [Fact]
    public void ThresholdSyntax_TryParseNamed_LeavesTheMetricNameToTheCaller()
    {
        Assert.True(ThresholdSyntax.TryParseNamed(" rmse =constant:,2.5", out var name, out var threshold, out _));
        Assert.Equal("rmse", name);
        Assert.Equal(Threshold.Constant(null, 2.5), threshold);
        Assert.False(ThresholdSyntax.TryParseNamed("mae=std:3", out _, out _, out var error));
        Assert.Contains("two values", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("roc_auc", "expected METRIC=std")]
    [InlineData("auroc=std:3,3", "unknown metric 'auroc'")]
    [InlineData("roc_auc=std:3", "two values")]
    [InlineData("roc_auc=std:x,3", "'x' is not a number")]
    [InlineData("roc_auc=std:3,NaN", "'NaN' is not a number")]
    [InlineData("roc_auc=mad:3,3", "unknown kind 'mad'")]
    [InlineData("roc_auc=constant:0.9,0.8", "must be below")]
    public void ThresholdSyntax_SaysWhatIsWrong(string spec, string says)
    {
        Assert.False(ThresholdSyntax.TryParse(spec, out _, out _, out var error));
        Assert.Contains(says, error, StringComparison.Ordinal);
    }
}

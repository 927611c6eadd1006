using Estimator.Slo;

namespace Estimator.Core.Tests.Slo;

/// <summary>The assumption check against hand-traced sequences of inside (I) and outside (O) chunks.</summary>
public sealed class AssumptionCheckTests
{
    private static List<LabelledChunk> Chunks(string pattern) =>
        [.. pattern.Select((c, i) => new LabelledChunk(i + 10, $"k{i + 10}", c == 'I'))];

    [Theory]
    [InlineData("IIIIII", 2, "")]
    [InlineData("IOIOIO", 2, "")] // scattered misses never make two in a row
    [InlineData("IIOO", 2, "12-13-13-")] // fires at the second miss, holds
    [InlineData("IIOOOOI", 2, "12-13-15-")] // one chunk back inside does not clear it
    [InlineData("IIOOOIIO", 2, "12-13-14-16")] // two inside clear it; a single later miss starts nothing
    [InlineData("OOIIOO", 2, "10-11-11-13|14-15-15-")]
    [InlineData("O", 1, "10-10-10-")]
    [InlineData("OOIO", 3, "")]
    public void Find_StartsAtTheFirstOfNMissesInARow_AndClearsAfterNHitsInARow(string pattern, int consecutive, string expected)
    {
        var found = AssumptionCheck.Find("roc_auc", Chunks(pattern), consecutive);

        Assert.Equal(expected, string.Join('|', found.Select(v => $"{v.FirstIndex}-{v.ConfirmedIndex}-{v.LastIndex}-{v.ClearedIndex}")));
        Assert.All(found, v => Assert.Equal(v.ClearedIndex is null, v.Active));
        Assert.All(found, v => Assert.Equal($"k{v.ConfirmedIndex}", v.ConfirmedKey));
    }

    [Fact]
    public void Find_Refuses_ANonPositiveRunLength() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AssumptionCheck.Find("f1", Chunks("OO"), 0));
}

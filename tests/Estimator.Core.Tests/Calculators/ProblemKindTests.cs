using Estimator.Calculators;

namespace Estimator.Tests.Calculators;

public sealed class ProblemKindTests
{
    [Theory]
    [InlineData("classification", ProblemKind.Classification)]
    [InlineData(" Regression", ProblemKind.Regression)]
    public void Parse_ReadsNames_CaseInsensitive(string text, ProblemKind expected)
    {
        Assert.Equal(expected, ProblemKinds.Parse(text));
        Assert.Equal(expected.Name(), text.Trim().ToLowerInvariant());
    }

    [Fact]
    public void Parse_ListsKnownNames_WhenUnknown()
    {
        var e = Assert.Throws<FormatException>(() => ProblemKinds.Parse("ranking"));

        Assert.Contains("classification, regression", e.Message, StringComparison.Ordinal);
        Assert.False(ProblemKinds.TryParse(null, out _));
    }
}

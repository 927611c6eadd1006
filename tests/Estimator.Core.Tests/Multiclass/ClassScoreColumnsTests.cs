using Estimator.Estimation.Multiclass;

namespace Estimator.Tests.Multiclass;

/// <summary>The <c>CLASS=COLUMN,...</c> syntax of a multiclass model's score columns.</summary>
public sealed class ClassScoreColumnsTests
{
    [Fact]
    public void Parse_KeepsTheOrderGivenAndTrimsSpaces_WhenPairsAreValid()
    {
        var columns = ClassScoreColumns.Parse(" upmarket = p_up ,prepaid=p_pre,0=p=0");

        Assert.Equal(["upmarket", "prepaid", "0"], columns.Classes);
        Assert.Equal(["p_up", "p_pre", "p=0"], columns.Columns);
        Assert.Equal("p_pre", columns.ColumnOf("prepaid"));
        Assert.Null(columns.ColumnOf("Prepaid"));
        Assert.Equal("upmarket=p_up,prepaid=p_pre,0=p=0", columns.ToString());
        Assert.Equal(columns, ClassScoreColumns.Parse(columns.ToString()));
    }

    [Theory]
    [InlineData("a=x,b", "'b' is not CLASS=COLUMN")]
    [InlineData("a=x,a=y", "class 'a' is mapped twice")]
    [InlineData("a=x,b=x", "column 'x' is mapped to two classes")]
    [InlineData("a=x", "at least two CLASS=COLUMN pairs, got 1")]
    [InlineData("a=x,,b=y", "'' is not CLASS=COLUMN")]
    [InlineData("a=x, =y", "needs both a class and a column")]
    [InlineData("", "'' is not CLASS=COLUMN")]
    public void TryParse_FailsWithOneSentence_WhenTextIsInvalid(string text, string says)
    {
        Assert.False(ClassScoreColumns.TryParse(text, out var columns, out var error));

        Assert.Null(columns);
        Assert.Contains(says, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        Assert.Throws<FormatException>(() => ClassScoreColumns.Parse(text));
    }

    [Theory]
    [InlineData("y_pred_proba", false)]
    [InlineData("a=x,b=y", true)]
    [InlineData("a=x", true)]
    public void IsPairSyntax_TellsPairsFromABinaryColumn(string text, bool expected)
    {
        Assert.Equal(expected, ClassScoreColumns.IsPairSyntax(text));
    }

    [Fact]
    public void Constructor_Throws_WhenAClassRepeats()
    {
        Assert.Throws<ArgumentException>(() => new ClassScoreColumns([new("a", "x"), new("a", "y")]));
    }
}

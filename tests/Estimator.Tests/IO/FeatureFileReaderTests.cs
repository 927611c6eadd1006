using Estimator.Calculators;
using Estimator.IO;

namespace Estimator.Tests.IO;

/// <summary>Feature columns typed as pandas types them, from CSV text and from Parquet types.</summary>
public sealed class FeatureFileReaderTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Read_TypesCsvColumnsAsPandas_WhenCellsAreNumbersBooleansAndText()
    {
        var path = _files.WriteText("f.csv", "amount,owner,band,kids,when\n1.5,True,a,1,2020-01-02\n,false,NA,2,2020-01-01\n3,TRUE,c,,2020-01-03\n");

        var data = FeatureFileReader.Read(path, ["amount", "owner", "band", "kids"], "when");

        var amount = Assert.IsType<NumericFeature>(data.Feature("amount"));
        Assert.Equal(1.5, amount.Values[0]);
        Assert.True(double.IsNaN(amount.Values[1]));
        Assert.Equal<IEnumerable<string?>>(["True", "False", "True"], Assert.IsType<CategoricalFeature>(data.Feature("owner")).Values);
        Assert.Equal<IEnumerable<string?>>(["a", null, "c"], Assert.IsType<CategoricalFeature>(data.Feature("band")).Values);
        Assert.True(double.IsNaN(Assert.IsType<NumericFeature>(data.Feature("kids")).Values[2]));
        Assert.Equal(new DateTime(2020, 1, 2, 0, 0, 0, DateTimeKind.Utc), data.Timestamps![0]);
    }

    [Fact]
    public void Read_TypesParquetColumns_WhenTheCarLoanFileIsRead()
    {
        var data = FeatureFileReader.Read(TestFiles.CarLoan("reference.parquet"), ["car_value", "salary_range", "repaid_loan_on_prev_car", "y_pred"]);

        // NannyML's CSV export of the same rows: 39811.0, "40K - 60K €", False, 1.
        Assert.Equal(39811.0, Assert.IsType<NumericFeature>(data.Feature("car_value")).Values[0]);
        Assert.Equal("40K - 60K €", Assert.IsType<CategoricalFeature>(data.Feature("salary_range")).Values[0]);
        Assert.Equal("False", Assert.IsType<CategoricalFeature>(data.Feature("repaid_loan_on_prev_car")).Values[0]);
        Assert.Equal(1.0, Assert.IsType<NumericFeature>(data.Feature("y_pred")).Values[0]);
        Assert.Null(data.Timestamps);
    }

    [Fact]
    public void Read_NamesTheColumn_WhenATimestampIsListedAsAFeature()
    {
        var e = Assert.Throws<EstimatorDataException>(() => FeatureFileReader.Read(TestFiles.CarLoan("reference.parquet"), ["timestamp"]));

        Assert.Contains("timestamp", e.Message, StringComparison.Ordinal);
        Assert.Contains("reference.parquet", e.Message, StringComparison.Ordinal);
    }
}

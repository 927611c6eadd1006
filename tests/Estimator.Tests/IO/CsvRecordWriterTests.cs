using System.Text;
using Estimator.IO;

namespace Estimator.Tests.IO;

/// <summary>The RFC 4180 writer's quoting and framing, byte for byte (the forms the estimate and drift files document).</summary>
public sealed class CsvRecordWriterTests
{
    private static async Task<string> WriteAsync(params string?[][] records)
    {
        using var stream = new MemoryStream();
        using (var csv = new CsvRecordWriter(stream))
        {
            foreach (var record in records)
            {
                foreach (var field in record)
                {
                    csv.WriteField(field);
                }

                csv.EndRecord();
            }

            await csv.FlushAsync(default);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task Write_QuotesOnlyFieldsWithCommasQuotesOrLineBreaks()
    {
        var text = await WriteAsync(["plain", "a,b", "a\"b", "a\nb", "a\rb", " lead", "é€", "#x", null]);

        Assert.Equal("plain,\"a,b\",\"a\"\"b\",\"a\nb\",\"a\rb\", lead,é€,#x,\r\n", text);
    }

    [Fact]
    public async Task Write_QuotesAnEmptyField_OnlyWhenItIsTheWholeRecord()
    {
        var text = await WriteAsync([""], ["", "", ""], ["", "x"]);

        Assert.Equal("\"\"\r\n,,\r\n,x\r\n", text);
    }

    [Fact]
    public async Task Write_WritesNumbersAndBooleansInInvariantForm()
    {
        using var stream = new MemoryStream();
        using (var csv = new CsvRecordWriter(stream))
        {
            csv.WriteField(-42L);
            csv.WriteField(3);
            csv.WriteField(true);
            csv.WriteField(false);
            csv.EndRecord();
            await csv.FlushAsync(default);
        }

        var bytes = stream.ToArray();
        Assert.Equal("-42,3,true,false\r\n", Encoding.UTF8.GetString(bytes));
        Assert.NotEqual(0xEF, bytes[0]);
    }
}


namespace Estimator.Tests;

public sealed class ChunkerTests
{
    [Fact]
    public void Split_KeepsShortLastChunk_WhenSizeDoesNotDivide()
    {
        var chunks = Chunker.Split(10, default, Chunking.BySize(3));

        Assert.Equal(["[0:2]", "[3:5]", "[6:8]", "[9:9]"], chunks.Select(c => c.Key));
        Assert.Equal([3L, 3, 3, 1], chunks.Select(c => c.Rows));
        Assert.Equal([0, 1, 2, 3], chunks.Select(c => c.Index));
    }

    [Fact]
    public void Split_DropsRemainder_WhenIncompleteIsDrop()
    {
        var chunks = Chunker.Split(10, default, Chunking.BySize(3, IncompleteChunk.Drop));

        Assert.Equal(["[0:2]", "[3:5]", "[6:8]"], chunks.Select(c => c.Key));
    }

    [Fact]
    public void Split_MergesRemainderIntoLastChunk_WhenIncompleteIsAppend()
    {
        var chunks = Chunker.Split(10, default, Chunking.BySize(3, IncompleteChunk.Append));

        Assert.Equal(["[0:2]", "[3:5]", "[6:9]"], chunks.Select(c => c.Key));
        Assert.Equal(9, chunks[^1].EndIndex);
        Assert.Equal(4, chunks[^1].Rows);
    }

    [Fact]
    public void Split_FormsOneChunk_WhenAppendHasNoCompleteChunk()
    {
        var chunks = Chunker.Split(2, default, Chunking.BySize(5, IncompleteChunk.Append));

        Assert.Single(chunks);
        Assert.Equal("[0:1]", chunks[0].Key);
    }

    [Fact]
    public void Split_UsesFloorSizeAndKeepsExtraChunk_WhenChunkingByNumber()
    {
        // NannyML: size = ⌊50000 / 7⌋ = 7142, plus a 6-row chunk.
        var chunks = Chunker.Split(50_000, default, Chunking.ByNumber(7));

        Assert.Equal(8, chunks.Count);
        Assert.Equal("[0:7141]", chunks[0].Key);
        Assert.Equal("[49994:49999]", chunks[^1].Key);
        Assert.Equal(6, chunks[^1].Rows);
    }

    [Fact]
    public void Split_MakesTenChunksOfFloorSize_ByDefault()
    {
        var chunks = Chunker.Split(25, default, Chunking.Default);

        Assert.Equal(13, chunks.Count);
        Assert.All(chunks.Take(12), c => Assert.Equal(2, c.Rows));
        Assert.Equal("[24:24]", chunks[^1].Key);
    }

    [Fact]
    public void Split_Throws_WhenFewerRowsThanChunks()
    {
        var e = Assert.Throws<EstimatorDataException>(() => Chunker.Split(5, default, Chunking.ByNumber(7)));

        Assert.Contains("7", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_Throws_WhenPeriodChunkingHasNoTimestamps()
    {
        var e = Assert.Throws<EstimatorDataException>(() => Chunker.Split(5, default, Chunking.ByPeriod(ChunkPeriod.Month)));

        Assert.Contains("timestamp", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_UsesObservedDates_ForSizeChunks()
    {
        var t = Enumerable.Range(0, 4).Select(i => new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(i * 7)).ToArray();

        var chunks = Chunker.Split(4, t, Chunking.BySize(2));

        Assert.Equal(t[0], chunks[0].StartDate);
        Assert.Equal(t[1], chunks[0].EndDate);
        Assert.Equal(t[2], chunks[1].StartDate);
        Assert.Equal(t[3], chunks[1].EndDate);
    }

    [Fact]
    public void Split_GroupsByCalendarMonth_WithTheoreticalBounds()
    {
        DateTime[] t =
        [
            Utc(2018, 1, 15), Utc(2018, 1, 31, 23), Utc(2018, 3, 2), Utc(2018, 3, 30),
        ];

        var chunks = Chunker.Split(4, t, Chunking.ByPeriod(ChunkPeriod.Month));

        Assert.Equal(["2018-01", "2018-03"], chunks.Select(c => c.Key));
        Assert.Equal(Utc(2018, 1, 1), chunks[0].StartDate);
        Assert.Equal(Utc(2018, 2, 1).AddTicks(-1), chunks[0].EndDate);
        Assert.Equal((0L, 1L), (chunks[0].StartIndex, chunks[0].EndIndex));
        Assert.Equal((2L, 3L), (chunks[1].StartIndex, chunks[1].EndIndex));
    }

    [Theory]
    [InlineData(ChunkPeriod.Day, "2018-01-03", "2018-01-03", "2018-01-04")]
    [InlineData(ChunkPeriod.Week, "2018-01-01/2018-01-07", "2018-01-01", "2018-01-08")]
    [InlineData(ChunkPeriod.Month, "2018-01", "2018-01-01", "2018-02-01")]
    [InlineData(ChunkPeriod.Quarter, "2018Q1", "2018-01-01", "2018-04-01")]
    [InlineData(ChunkPeriod.Year, "2018", "2018-01-01", "2019-01-01")]
    public void Split_FormsPandasPeriodKeys_ForEachPeriod(ChunkPeriod period, string key, string start, string nextStart)
    {
        // 2018-01-03 is a Wednesday; pandas' W period runs Monday to Sunday.
        DateTime[] t = [Utc(2018, 1, 3, 12)];

        var chunk = Assert.Single(Chunker.Split(1, t, Chunking.ByPeriod(period)));

        Assert.Equal(key, chunk.Key);
        Assert.Equal(DateTime.Parse(start, System.Globalization.CultureInfo.InvariantCulture), chunk.StartDate!.Value);
        Assert.Equal(DateTime.Parse(nextStart, System.Globalization.CultureInfo.InvariantCulture).AddTicks(-1), chunk.EndDate!.Value);
    }

    [Fact]
    public void Split_StartsWeekOnMonday_WhenTimestampIsSunday()
    {
        DateTime[] t = [Utc(2018, 1, 7, 23)];

        var chunk = Assert.Single(Chunker.Split(1, t, Chunking.ByPeriod(ChunkPeriod.Week)));

        Assert.Equal("2018-01-01/2018-01-07", chunk.Key);
    }

    private static DateTime Utc(int y, int m, int d, int h = 0) => new(y, m, d, h, 0, 0, DateTimeKind.Utc);
}

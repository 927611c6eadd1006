namespace Estimator.Tests.Chunks;

/// <summary>
/// The one chunker's incremental use, against a plain oracle written here (calendar arithmetic spelled out, not the
/// chunker's): planning batch by batch, keeping the final chunks and re-planning the rest, must end with the chunks
/// a single pass over every row gives.
/// </summary>
public sealed class ChunkPlanTests
{
    private static readonly DateTime Start = new(2019, 12, 28, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Oracle: the calendar period a timestamp falls in, as a (start, next start) pair.</summary>
    private static (DateTime Start, DateTime Next) PeriodOf(DateTime t, ChunkPeriod period)
    {
        switch (period)
        {
            case ChunkPeriod.Day:
                return (t.Date, t.Date.AddDays(1));
            case ChunkPeriod.Week:
                // pandas 'W' = weeks ending on Sunday, so they start on Monday.
                var monday = t.Date;
                while (monday.DayOfWeek != DayOfWeek.Monday)
                {
                    monday = monday.AddDays(-1);
                }

                return (monday, monday.AddDays(7));
            case ChunkPeriod.Month:
                var m = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc);
                return (m, m.AddMonths(1));
            case ChunkPeriod.Quarter:
                var q = new DateTime(t.Year, (((t.Month - 1) / 3) * 3) + 1, 1, 0, 0, 0, DateTimeKind.Utc);
                return (q, q.AddMonths(3));
            default:
                var y = new DateTime(t.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
                return (y, y.AddYears(1));
        }
    }

    private static List<(long First, long Last, DateTime Start)> OraclePeriods(DateTime[] ts, ChunkPeriod period)
    {
        var chunks = new List<(long, long, DateTime)>();
        var i = 0;
        while (i < ts.Length)
        {
            var (start, next) = PeriodOf(ts[i], period);
            var j = i;
            while (j + 1 < ts.Length && ts[j + 1] < next)
            {
                j++;
            }

            chunks.Add((i, j, start));
            i = j + 1;
        }

        return chunks;
    }

    private static DateTime[] Timestamps(Random random, int n, int maxStepHours)
    {
        var ts = new DateTime[n];
        var t = Start;
        for (var i = 0; i < n; i++)
        {
            t = t.AddHours(random.Next(0, maxStepHours + 1));
            ts[i] = DateTime.SpecifyKind(t, DateTimeKind.Utc);
        }

        return ts;
    }

    /// <summary>Plans as the store does: keep final chunks, re-plan from the first row after the last final one.</summary>
    private static List<Chunk> Incrementally(Chunking chunking, DateTime[]? ts, int n, Random random)
    {
        var kept = new List<Chunk>();
        var seen = 0;
        while (true)
        {
            seen = Math.Min(n, seen + random.Next(1, Math.Max(2, n / 5)));
            var final = seen == n;
            var first = kept.Count == 0 ? 0 : (int)kept[^1].EndIndex + 1;
            var span = ts is null ? default : ts.AsSpan(first, seen - first);
            var plan = Chunker.Plan(chunking, seen - first, span, final, first, kept.Count);
            foreach (var (chunk, isFinal) in plan)
            {
                Assert.True(isFinal || !final, "a plan over every row has no provisional chunk");
                if (isFinal)
                {
                    kept.Add(chunk);
                }
                else
                {
                    // Provisional chunks are only ever last, and only where later rows could still join them.
                    Assert.Equal(plan[^1].Chunk, chunk);
                    Assert.Equal(seen - 1, chunk.EndIndex);
                }
            }

            if (final)
            {
                return kept;
            }
        }
    }

    [Theory]
    [InlineData(ChunkPeriod.Day, 5)]
    [InlineData(ChunkPeriod.Week, 20)]
    [InlineData(ChunkPeriod.Month, 60)]
    [InlineData(ChunkPeriod.Quarter, 200)]
    [InlineData(ChunkPeriod.Year, 600)]
    public void Plan_ByPeriod_BatchByBatch_EqualsOneSplit_AndTheOracle(ChunkPeriod period, int maxStepHours)
    {
        for (var seed = 0; seed < 25; seed++)
        {
            var random = new Random(seed);
            var n = random.Next(1, 3000);
            var ts = Timestamps(random, n, maxStepHours);

            var split = Chunker.Split(n, ts, Chunking.ByPeriod(period));
            var incremental = Incrementally(Chunking.ByPeriod(period), ts, n, random);

            Assert.Equal(split, incremental);
            var oracle = OraclePeriods(ts, period);
            Assert.Equal(oracle.Count, split.Count);
            for (var c = 0; c < split.Count; c++)
            {
                Assert.Equal(c, split[c].Index);
                Assert.Equal(oracle[c].First, split[c].StartIndex);
                Assert.Equal(oracle[c].Last, split[c].EndIndex);
                Assert.Equal(oracle[c].Start, split[c].StartDate);
                Assert.Equal(PeriodOf(oracle[c].Start, period).Next.AddTicks(-1), split[c].EndDate);
            }
        }
    }

    [Theory]
    [InlineData(IncompleteChunk.Keep, true)]
    [InlineData(IncompleteChunk.Keep, false)]
    [InlineData(IncompleteChunk.Drop, true)]
    public void Plan_BySize_BatchByBatch_EqualsOneSplit_AndTheOracle(IncompleteChunk incomplete, bool withTimestamps)
    {
        for (var seed = 0; seed < 40; seed++)
        {
            var random = new Random(seed);
            var n = random.Next(1, 5000);
            var size = random.Next(1, 700);
            var ts = withTimestamps ? Timestamps(random, n, 3) : null;
            var chunking = Chunking.BySize(size, incomplete);

            var split = Chunker.Split(n, ts, chunking);
            var incremental = Incrementally(chunking, ts, n, random);

            Assert.Equal(split, incremental);
            var expected = (n / size) + (n % size != 0 && incomplete == IncompleteChunk.Keep ? 1 : 0);
            Assert.Equal(expected, split.Count);
            for (var c = 0; c < split.Count; c++)
            {
                var first = (long)c * size;
                var last = Math.Min(first + size, n) - 1;
                Assert.Equal(FormattableString.Invariant($"[{first}:{last}]"), split[c].Key);
                Assert.Equal(ts?[first], split[c].StartDate);
                Assert.Equal(ts?[last], split[c].EndDate);
            }
        }
    }

    [Fact]
    public void Plan_MarksTheRemainderAndTheOpenPeriodProvisional_UntilTheInputIsFinal()
    {
        var open = Chunker.Plan(Chunking.BySize(4, IncompleteChunk.Drop), 10, default, final: false, firstRow: 100, firstIndex: 7);
        Assert.Equal([true, true, false], open.Select(p => p.Final));
        Assert.Equal(["[100:103]", "[104:107]", "[108:109]"], open.Select(p => p.Chunk.Key));
        Assert.Equal([7, 8, 9], open.Select(p => p.Chunk.Index));
        Assert.Equal(2, Chunker.Plan(Chunking.BySize(4, IncompleteChunk.Drop), 10, default, final: true).Count);

        DateTime[] ts = [Start, Start.AddDays(1), Start.AddDays(40)];
        var months = Chunker.Plan(Chunking.ByPeriod(ChunkPeriod.Month), 3, ts, final: false);
        Assert.Equal([true, false], months.Select(p => p.Final));
        Assert.All(Chunker.Plan(Chunking.ByPeriod(ChunkPeriod.Month), 3, ts, final: true), p => Assert.True(p.Final));
    }

    [Fact]
    public void Plan_NamesTheRow_WhenATimestampGoesBackAcrossAPeriod()
    {
        DateTime[] ts = [Start, Start.AddDays(40), Start.AddDays(3)];

        var e = Assert.Throws<EstimatorDataException>(() => Chunker.Plan(Chunking.ByPeriod(ChunkPeriod.Month), 3, ts, final: true, firstRow: 50));

        Assert.Equal(52, e.Row);
        Assert.Equal("timestamp", e.Column);
    }

    [Fact]
    public void Plan_RefusesNumberAndDefaultRules_BeforeTheInputIsFinal()
    {
        Assert.Throws<ArgumentException>(() => Chunker.Plan(Chunking.ByNumber(3), 10, default, final: false));
        Assert.Throws<ArgumentException>(() => Chunker.Plan(Chunking.Default, 10, default, final: false));
        // NannyML: size ⌊10 / 3⌋ = 3, and the remainder row kept as a fourth chunk.
        Assert.Equal(4, Chunker.Plan(Chunking.ByNumber(3), 10, default, final: true).Count);
    }
}

using Estimator.Calibration;

namespace Estimator.Tests.Calibration;

public class NumpyRandomStateTests
{
    [Fact]
    public void NextUInt32_MatchesNumpy_WhenSeed42()
    {
        // np.random.RandomState(42).randint(0, 2**32, dtype=np.uint64)-equivalent raw outputs (spec §2.2.1).
        var rng = new NumpyRandomState(42);
        uint[] expected = [1608637542, 3421126067, 4083286876, 787846414, 3143890026];
        foreach (var value in expected)
        {
            Assert.Equal(value, rng.NextUInt32());
        }
    }

    [Fact]
    public void Permutation_MatchesNumpy_WhenSeed42AndTen()
    {
        var rng = new NumpyRandomState(42);
        Assert.Equal(new[] { 8, 1, 5, 0, 7, 2, 9, 4, 3, 6 }, rng.Permutation(10));
    }

    [Fact]
    public void RandomInterval_ReturnsZeroWithoutDrawing_WhenMaxIsZero()
    {
        var a = new NumpyRandomState(42);
        Assert.Equal(0UL, a.RandomInterval(0));
        Assert.Equal(1608637542U, a.NextUInt32());
    }

    [Fact]
    public void RandomInterval_MasksAndRejects_WhenMaxIsNotPowerOfTwoMinusOne()
    {
        // Mask for max 5 is 7. Seed-42 draws & 7: 1608637542 & 7 = 6 (> 5, rejected), 3421126067 & 7 = 3.
        var rng = new NumpyRandomState(42);
        Assert.Equal(3UL, rng.RandomInterval(5));
        Assert.Equal(4083286876U, rng.NextUInt32());
    }

    [Fact]
    public void SkipShuffle_AdvancesLikeShuffle_WhenLengthGiven()
    {
        var shuffled = new NumpyRandomState(7);
        shuffled.Shuffle(new int[1000]);
        var skipped = new NumpyRandomState(7);
        skipped.SkipShuffle(1000);
        Assert.Equal(shuffled.NextUInt32(), skipped.NextUInt32());
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 1)]
    [InlineData(1_000, 1)]
    [InlineData(70_000, 300)]
    [InlineData(1_048_577, 1_048_575)]
    [InlineData(0, 1)]
    public void SkipIntervals_AdvancesLikeRandomIntervals_WhenRangeGiven(int high, int low)
    {
        var drawn = new NumpyRandomState(11);
        for (var i = high; i >= low && i >= 1; i--)
        {
            drawn.RandomInterval((ulong)i);
        }

        var skipped = new NumpyRandomState(11);
        skipped.SkipIntervals(high, low);
        Assert.Equal(drawn.NextUInt32(), skipped.NextUInt32());
        Assert.Equal(drawn.NextUInt32(), skipped.NextUInt32());
    }

    [Theory]
    [InlineData(10, 3)]
    [InlineData(5_000, 500)]
    [InlineData(5_000, 5_000)]
    public void ShuffleTail_FixesTheSameTailAsShuffle_WhenFollowedBySkip(int length, int steps)
    {
        var full = Enumerable.Range(0, length).ToArray();
        var shuffled = new NumpyRandomState(3);
        shuffled.Shuffle(full);

        var partial = Enumerable.Range(0, length).ToArray();
        var tail = new NumpyRandomState(3);
        tail.ShuffleTail(partial, steps);
        tail.SkipIntervals(length - steps - 1, 1);

        Assert.Equal(full[(length - steps)..], partial[(length - steps)..]);
        Assert.Equal(shuffled.NextUInt32(), tail.NextUInt32());
    }
}

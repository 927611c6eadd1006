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
}

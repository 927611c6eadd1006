using System.Buffers;

namespace Estimator.Drift;

/// <summary>
/// What the continuous drift methods keep of one reference column (NaN removed): the sorted values for exact KS and
/// Wasserstein, equal-width 10,000-bin CDFs for their estimates on large references, Doane bin shares for
/// Jensen-Shannon and Hellinger.
/// </summary>
internal sealed record ContinuousReference
{
    /// <summary>Reference values without NaN.</summary>
    public int Size { get; init; }

    /// <summary>The sorted reference values, kept when KS or Wasserstein is computed exactly.</summary>
    public double[]? Sorted { get; init; }

    /// <summary>KS estimate: the reference's smallest and largest value and the bin count (edges = linspace).</summary>
    public BinGrid? KsGrid { get; init; }

    /// <summary>KS estimate: the reference CDF at each bin's right edge (running sum of bin shares).</summary>
    public double[]? KsCdf { get; init; }

    /// <summary>Wasserstein estimate: numpy's <c>histogram(bins=n)</c> grid (widened by ±0.5 for a constant column).</summary>
    public BinGrid? WassersteinGrid { get; init; }

    /// <summary>Wasserstein estimate: the reference CDF at each bin's right edge.</summary>
    public double[]? WassersteinCdf { get; init; }

    /// <summary>Jensen-Shannon and Hellinger: the Doane bins of the reference.</summary>
    public BinGrid? DoaneGrid { get; init; }

    /// <summary>Jensen-Shannon and Hellinger: the reference's share per Doane bin.</summary>
    public double[]? DoaneShares { get; init; }

    /// <summary>Learns what <paramref name="methods"/> need from the reference values (NaN already removed).</summary>
    /// <param name="values">The reference values without NaN (not empty, all finite).</param>
    /// <param name="methods">The methods to prepare for.</param>
    /// <param name="exact">Whether KS and Wasserstein keep the sorted values (else the binned estimates).</param>
    /// <param name="bins">Bins of the KS and Wasserstein estimates.</param>
    public static ContinuousReference Fit(double[] values, IReadOnlyCollection<DriftMethod> methods, bool exact, int bins)
    {
        var result = new ContinuousReference { Size = values.Length };
        var needsKs = methods.Contains(DriftMethod.KolmogorovSmirnov);
        var needsWasserstein = methods.Contains(DriftMethod.Wasserstein);
        if (exact && (needsKs || needsWasserstein))
        {
            var sorted = (double[])values.Clone();
            Array.Sort(sorted);
            result = result with { Sorted = sorted };
        }

        if (!exact && needsKs)
        {
            // NannyML: np.linspace(min, max, n_bins + 1) without numpy's widening of a constant column.
            Histogram.OuterEdges(values, out var min, out var max);
            var grid = new BinGrid(min, max, bins);
            result = result with { KsGrid = grid, KsCdf = RunningShares(Histogram.Count(values, grid.Edges(), out _), values.Length) };
        }

        if (!exact && needsWasserstein)
        {
            var (first, last) = Histogram.OuterEdges(values, out _, out _);

            // Without numpy's widening (a non-constant column) the Wasserstein grid is the KS grid: one CDF serves both.
            var grid = result.KsGrid is { } ks && ks.First == first && ks.Last == last ? ks : new BinGrid(first, last, bins);
            var cdf = ReferenceEquals(grid, result.KsGrid) ? result.KsCdf! : RunningShares(Histogram.Count(values, grid.Edges(), out _), values.Length);
            result = result with { WassersteinGrid = grid, WassersteinCdf = cdf };
        }

        if (methods.Contains(DriftMethod.JensenShannon) || methods.Contains(DriftMethod.Hellinger))
        {
            var edges = Histogram.DoaneEdges(values);
            var grid = new BinGrid(edges[0], edges[^1], edges.Length - 1);
            result = result with { DoaneGrid = grid, DoaneShares = Shares(Histogram.Count(values, edges, out _), values.Length) };
        }

        return result;
    }

    /// <summary>The method's value on a chunk's values (NaN removed; <paramref name="scratch"/> keeps what several methods share).</summary>
    public double Value(DriftMethod method, ReadOnlySpan<double> data, ChunkScratch scratch)
    {
        switch (method)
        {
            case DriftMethod.KolmogorovSmirnov when KsGrid is { } grid:
                var below = scratch.Running(grid, data, out var ksRunning);
                return DistributionDistances.KolmogorovSmirnovBinnedVector(ksRunning, below, data.Length, KsCdf!, scratch.Doubles(grid.Bins));
            case DriftMethod.KolmogorovSmirnov:
                return DistributionDistances.KolmogorovSmirnovExact(Sorted!, scratch.Sorted(data));
            case DriftMethod.Wasserstein when WassersteinGrid is { } grid:
                scratch.Running(grid, data, out var running);
                return DistributionDistances.WassersteinBinnedVector(grid.Edges(), running, WassersteinCdf!, data, scratch.Doubles(grid.Bins));
            case DriftMethod.Wasserstein:
                return DistributionDistances.WassersteinExact(Sorted!, scratch.Sorted(data));
            case DriftMethod.JensenShannon or DriftMethod.Hellinger:
                scratch.DoaneShares ??= Shares(Histogram.Count(data, DoaneGrid!.Edges(), out _), data.Length);
                var (p, q) = DistributionDistances.WithLeftover(DoaneShares!, scratch.DoaneShares);
                return method == DriftMethod.JensenShannon ? DistributionDistances.JensenShannon(p, q) : DistributionDistances.Hellinger(p, q);
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "Not a continuous drift method.");
        }
    }

    // counts / n, element by element (numpy's histogram(...)[0] / len).
    private static double[] Shares(long[] counts, int n)
    {
        var shares = new double[counts.Length];
        for (var k = 0; k < counts.Length; k++)
        {
            shares[k] = counts[k] / (double)n;
        }

        return shares;
    }

    // np.cumsum(counts / n): left-to-right running sum of the shares.
    private static double[] RunningShares(long[] counts, int n)
    {
        var cdf = Shares(counts, n);
        for (var k = 1; k < cdf.Length; k++)
        {
            cdf[k] += cdf[k - 1];
        }

        return cdf;
    }
}

/// <summary>
/// What the methods computed on one chunk share: the counts on the KS/Wasserstein grid, the sorted values, the Doane
/// bin shares; the large arrays are pooled (a calculation would otherwise drop two 10,000-bin arrays per chunk and
/// column) and go back to the pool on <see cref="Dispose"/>.
/// </summary>
internal sealed class ChunkScratch : IDisposable
{
    private double[]? _sorted;

    private BinGrid? _grid;

    private long[]? _counts;

    private long _below;

    private double[]? _doubles;

    private double[]? _running;

    private BinGrid? _runningGrid;

    private long _runningBelow;

    /// <summary>The chunk's counts on a grid; KS and Wasserstein share one grid unless the reference is constant.</summary>
    /// <returns>The values below the grid's first edge.</returns>
    public long Counts(BinGrid grid, ReadOnlySpan<double> data, out ReadOnlySpan<long> counts)
    {
        if (_grid is not { } g || g.First != grid.First || g.Last != grid.Last || g.Bins != grid.Bins)
        {
            if (_counts is null || _counts.Length < grid.Bins)
            {
                Return();
                _counts = ArrayPool<long>.Shared.Rent(grid.Bins);
            }

            _below = Histogram.Count(data, grid.Edges(), _counts);
            _grid = grid;
        }

        counts = _counts.AsSpan(0, grid.Bins);
        return _below;
    }

    /// <summary>The chunk's running shares on a grid (<see cref="DistributionDistances.RunningShares"/>), computed once for KS and Wasserstein.</summary>
    /// <returns>The values below the grid's first edge.</returns>
    public long Running(BinGrid grid, ReadOnlySpan<double> data, out ReadOnlySpan<double> running)
    {
        if (_running is null || !ReferenceEquals(_runningGrid, grid))
        {
            var below = Counts(grid, data, out var counts);
            if (_running is null || _running.Length < grid.Bins)
            {
                if (_running is not null)
                {
                    ArrayPool<double>.Shared.Return(_running);
                }

                _running = ArrayPool<double>.Shared.Rent(grid.Bins);
            }

            DistributionDistances.RunningShares(counts, data.Length, _running.AsSpan(0, grid.Bins));
            _runningGrid = grid;
            _runningBelow = below;
        }

        running = _running.AsSpan(0, grid.Bins);
        return _runningBelow;
    }

    /// <summary>A pooled scratch array of at least <paramref name="length"/> doubles (contents undefined).</summary>
    public Span<double> Doubles(int length)
    {
        if (_doubles is null || _doubles.Length < length)
        {
            if (_doubles is not null)
            {
                ArrayPool<double>.Shared.Return(_doubles);
            }

            _doubles = ArrayPool<double>.Shared.Rent(length);
        }

        return _doubles.AsSpan(0, length);
    }

    /// <summary>The chunk's shares per Doane bin (Jensen-Shannon and Hellinger).</summary>
    public double[]? DoaneShares { get; set; }

    /// <summary>The chunk's values sorted (sorted once).</summary>
    public double[] Sorted(ReadOnlySpan<double> data)
    {
        if (_sorted is null)
        {
            _sorted = data.ToArray();
            Array.Sort(_sorted);
        }

        return _sorted;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Return();
        if (_doubles is not null)
        {
            ArrayPool<double>.Shared.Return(_doubles);
            _doubles = null;
        }

        if (_running is not null)
        {
            ArrayPool<double>.Shared.Return(_running);
            _running = null;
        }
    }

    private void Return()
    {
        if (_counts is not null)
        {
            ArrayPool<long>.Shared.Return(_counts);
            _counts = null;
            _grid = null;
        }
    }
}

/// <summary>Equal-width bins: <see cref="Bins"/> bins from <see cref="First"/> to <see cref="Last"/>, edges as <c>np.linspace</c> makes them.</summary>
internal sealed record BinGrid(double First, double Last, int Bins)
{
    private double[]? _edges;

    /// <summary>The <see cref="Bins"/> + 1 edges (computed once).</summary>
    public double[] Edges() => _edges ??= NumpyReductions.Linspace(First, Last, Bins + 1);
}

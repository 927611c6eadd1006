namespace Estimator.Metrics;

/// <summary>
/// The running sums an <see cref="ExpectedConfusionMatrix"/> is made of: the calibrated probabilities of the rows
/// predicted positive and of those predicted negative, and the row counts. A chunk adds its rows once; a sliding
/// window also removes the rows it evicts.
/// </summary>
internal struct ConfusionMass
{
    /// <summary>Σ p over rows predicted 1.</summary>
    public double PositiveMass { get; private set; }

    /// <summary>Σ p over rows predicted 0.</summary>
    public double NegativeMass { get; private set; }

    /// <summary>Rows predicted 1.</summary>
    public long PositivePredictions { get; private set; }

    /// <summary>Rows counted.</summary>
    public long Count { get; private set; }

    /// <summary>Adds a row with probability <paramref name="p"/> and predicted label <paramref name="prediction"/> (0 or 1, present).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(double p, double prediction)
    {
        Count++;
        if (prediction == 1)
        {
            PositiveMass += p;
            PositivePredictions++;
        }
        else
        {
            NegativeMass += p;
        }
    }

    /// <summary>Removes a row added before (the masses keep the add/subtract rounding until summed again).</summary>
    public void Remove(double p, double prediction)
    {
        Count--;
        if (prediction == 1)
        {
            PositiveMass -= p;
            PositivePredictions--;
        }
        else
        {
            NegativeMass -= p;
        }
    }

    /// <summary>The matrix: FP and TN follow from the row counts, which keeps the sums to two masses.</summary>
    public readonly ExpectedConfusionMatrix ToMatrix() =>
        new(PositiveMass, PositivePredictions - PositiveMass, NegativeMass, Count - PositivePredictions - NegativeMass, Count);
}

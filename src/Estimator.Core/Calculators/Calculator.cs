namespace Estimator.Calculators;

/// <summary>
/// What every calculator of this assembly and of <c>Estimator.Learning</c> holds before it is fitted: what it measures
/// and its options, the chunking being the options' (the <see cref="ICalculator"/> members they answer). The fitted
/// counterpart is <see cref="FittedCalculator{TOptions}"/>.
/// </summary>
/// <typeparam name="TOptions">The calculator's options.</typeparam>
public abstract class Calculator<TOptions>
    where TOptions : ICalculatorOptions
{
    private protected Calculator(CalculatorKind kind, TOptions options)
    {
        Kind = kind;
        Options = options;
    }

    /// <inheritdoc cref="ICalculator.Kind"/>
    public CalculatorKind Kind { get; }

    /// <summary>The options.</summary>
    public TOptions Options { get; }

    /// <inheritdoc cref="ICalculator.Chunking"/>
    public Chunking Chunking => Options.Chunking;
}

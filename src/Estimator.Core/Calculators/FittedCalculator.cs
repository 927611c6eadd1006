namespace Estimator.Calculators;

/// <summary>
/// What every fitted calculator of this assembly holds beside its own fitted state: what it measures, the options it
/// was fitted with and the reference chunks' rows (the <see cref="IFittedCalculator"/> members they answer). Immutable:
/// the properties are set once, where the calculator is fitted or read from JSON.
/// </summary>
/// <remarks>
/// A fitted calculator's public state is set by name (<c>required init</c>, with no public constructor to reach it);
/// what it keeps internal comes through its constructor.
/// </remarks>
/// <typeparam name="TOptions">The calculator's options.</typeparam>
public abstract class FittedCalculator<TOptions>
    where TOptions : ICalculatorOptions
{
    private protected FittedCalculator(CalculatorKind kind) => Kind = kind;

    /// <inheritdoc cref="IFittedCalculator.Kind"/>
    public CalculatorKind Kind { get; }

    /// <summary>The options it was fitted with.</summary>
    public required TOptions Options { get; init; }

    /// <inheritdoc cref="IFittedCalculator.Chunking"/>
    public Chunking Chunking => Options.Chunking;

    /// <inheritdoc cref="IFittedCalculator.ReferenceRows"/>
    public required IReadOnlyList<ChunkEstimate> ReferenceRows { get; init; }
}

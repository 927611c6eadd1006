namespace Estimator.Calculators;

/// <summary>What a monitored model predicts. A closed set; its name is what configuration files and the command line carry.</summary>
public enum ProblemKind
{
    /// <summary>A classifier (binary or multiclass), estimated with CBPE (<c>classification</c>).</summary>
    Classification,

    /// <summary>A regression model, estimated with direct loss estimation (<c>regression</c>).</summary>
    Regression,
}

/// <summary>Names of <see cref="ProblemKind"/> values, and parsing them back (once, at the edges).</summary>
public static class ProblemKinds
{
    private static readonly NameTable<ProblemKind> Names = new("classification", "regression");

    /// <summary>The kind's name (<c>classification</c>, <c>regression</c>).</summary>
    /// <param name="kind">The kind.</param>
    public static string Name(this ProblemKind kind) => Names.NameOf(kind, nameof(kind), "Unknown problem kind.");

    /// <summary>Every name, in declaration order.</summary>
    public static IReadOnlyList<string> All => Names.Names;

    /// <summary>Parses a kind's name (case-insensitive, surrounding space ignored).</summary>
    /// <param name="text">The name.</param>
    /// <param name="kind">The kind, when the name is known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string? text, out ProblemKind kind) => Names.TryParse(text, out kind);

    /// <summary>Parses a kind's name (case-insensitive).</summary>
    /// <param name="text">The name.</param>
    /// <exception cref="FormatException">The name is not a problem kind; the message lists the known ones.</exception>
    public static ProblemKind Parse(string text) => TryParse(text, out var kind)
        ? kind
        : throw new FormatException($"'{text}' is not a problem kind; use one of {Names}");
}

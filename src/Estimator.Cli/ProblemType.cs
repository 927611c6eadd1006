namespace Estimator.Cli;

/// <summary>What kind of model <c>estimator estimate</c> is asked about; <c>--problem</c> is parsed into it once.</summary>
internal enum ProblemType
{
    /// <summary>A classifier: binary CBPE, or multiclass CBPE when <c>--y-pred-proba</c> maps classes to columns.</summary>
    Classification,

    /// <summary>A regression model: direct loss estimation (DLE) from <c>--features</c>.</summary>
    Regression,
}

/// <summary>Names of <see cref="ProblemType"/> values, and parsing them back at the command line.</summary>
internal static class ProblemTypes
{
    /// <summary>The names <c>--problem</c> accepts, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["classification", "regression"];

    /// <summary>The type's name as <c>--problem</c> takes it.</summary>
    public static string Name(this ProblemType problem) => Names[(int)problem];

    /// <summary>Parses a name (case-insensitive, surrounding spaces ignored).</summary>
    public static bool TryParse(string? text, out ProblemType problem)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                problem = (ProblemType)i;
                return true;
            }
        }

        problem = default;
        return false;
    }

    /// <summary>Parses a name; an unknown one is an error naming <c>--problem</c> and the accepted names.</summary>
    /// <exception cref="OptionException">The name is not a problem type.</exception>
    public static ProblemType Parse(string text) => TryParse(text, out var problem)
        ? problem
        : throw new OptionException($"--problem: unknown problem '{text}'; use {string.Join(" or ", Names)}");
}

namespace Estimator.Host.Configuration;

/// <summary>One problem in a configuration file.</summary>
/// <param name="File">The configuration file as given.</param>
/// <param name="KeyPath">Where the problem is, e.g. <c>models[0].schedule</c>; empty for the whole file.</param>
/// <param name="Line">1-based line, or 0 when unknown.</param>
/// <param name="Column">1-based column, or 0 when unknown.</param>
/// <param name="Message">What is wrong and what is expected.</param>
public sealed record ConfigProblem(string File, string KeyPath, int Line, int Column, string Message)
{
    /// <summary><c>file:line:column: key.path: message</c>.</summary>
    public override string ToString()
    {
        var location = Line > 0 ? FormattableString.Invariant($"{File}:{Line}:{Column}") : File;
        return KeyPath.Length == 0 ? $"{location}: {Message}" : $"{location}: {KeyPath}: {Message}";
    }
}

/// <summary>A configuration that cannot be used; <see cref="Problems"/> lists every problem found, in file order.</summary>
public sealed class EstimatorConfigException : Exception
{
    /// <summary>Creates the exception from its problems.</summary>
    /// <param name="problems">The problems (at least one).</param>
    public EstimatorConfigException(IReadOnlyList<ConfigProblem> problems)
        : base(Compose(problems)) => Problems = problems;

    /// <summary>Creates the exception with a message only.</summary>
    public EstimatorConfigException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">The message.</param>
    public EstimatorConfigException(string message)
        : base(message) => Problems = [new ConfigProblem("", "", 0, 0, message)];

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public EstimatorConfigException(string message, Exception innerException)
        : base(message, innerException) => Problems = [new ConfigProblem("", "", 0, 0, message)];

    /// <summary>Every problem found, in file order.</summary>
    public IReadOnlyList<ConfigProblem> Problems { get; }

    private static string Compose(IReadOnlyList<ConfigProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return problems.Count == 0
            ? "The configuration is invalid."
            : $"The configuration has {problems.Count} problem(s):{Environment.NewLine}{string.Join(Environment.NewLine, problems)}";
    }
}

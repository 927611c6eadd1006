namespace Estimator.Cli;

/// <summary>Options with a default value, the commonest shape of an option on the command line, declared in one line.</summary>
internal static class Defaulted
{
    /// <summary>An option named <paramref name="name"/> worth <paramref name="value"/> when not given.</summary>
    /// <param name="name">The option's name, with its dashes (<c>--seed</c>).</param>
    /// <param name="value">The default.</param>
    /// <param name="description">The help text.</param>
    public static Option<T> Option<T>(string name, T value, string description) =>
        new(name) { Description = description, DefaultValueFactory = _ => value };
}

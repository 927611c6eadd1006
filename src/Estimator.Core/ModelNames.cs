namespace Estimator;

/// <summary>
/// The rule for model names, one for every edge (command line, configuration, HTTP paths, the store): a model's name
/// names its folder in the store, so it is 1 to 100 letters, digits, <c>_</c>, <c>-</c> and <c>.</c>, and never
/// <c>.</c>, <c>..</c> or anything containing <c>..</c>.
/// </summary>
public static class ModelNames
{
    /// <summary>The longest name allowed (a folder name that fits any file system the store may live on).</summary>
    public const int MaxLength = 100;

    /// <summary>Whether <paramref name="name"/> is a valid model name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="error">Why not, as one sentence, otherwise.</param>
    public static bool IsValid(string? name, out string? error)
    {
        error = name switch
        {
            null or "" => "a model name may not be empty",
            { Length: > MaxLength } => FormattableString.Invariant($"model name '{name[..20]}…' has {name.Length} characters; at most {MaxLength} are allowed"),
            _ when name.Contains("..", StringComparison.Ordinal) || name == "." => $"unsafe model name '{name}': it names a folder in the store, so it may not contain path separators or '..'",
            _ when !AllAllowed(name) => $"unsafe model name '{name}': use letters, digits, '_', '-' and '.' only",
            _ => null,
        };
        return error is null;
    }

    /// <summary>Whether <paramref name="name"/> is a valid model name.</summary>
    /// <param name="name">The name.</param>
    public static bool IsValid(string? name) => IsValid(name, out _);

    private static bool AllAllowed(string name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}

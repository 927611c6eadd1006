using System.Diagnostics.CodeAnalysis;

namespace Estimator.Host.Configuration;

/// <summary>
/// How a remediation target is called (<c>remediation[].kind</c>): a closed set, parsed once at the configuration's
/// edge. Today only <see cref="Webhook"/>: a JSON POST with an idempotency key.
/// </summary>
public sealed class RemediationKind
{
    private RemediationKind(string name) => Name = name;

    /// <summary>A JSON POST of the action body to the target's URL (<c>webhook</c>).</summary>
    public static RemediationKind Webhook { get; } = new("webhook");

    /// <summary>Every kind.</summary>
    public static IReadOnlyList<RemediationKind> All { get; } = [Webhook];

    /// <summary>The kind as written in the configuration, lower case.</summary>
    public string Name { get; }

    /// <summary>Parses a kind (case-insensitive).</summary>
    /// <param name="text">The text, e.g. <c>webhook</c>.</param>
    /// <exception cref="FormatException">Not a kind.</exception>
    public static RemediationKind Parse(string text) =>
        TryParse(text, out var kind) ? kind : throw new FormatException($"'{text}' is not a remediation kind; expected {string.Join(" or ", All.Select(k => k.Name))}");

    /// <summary>Parses a kind (case-insensitive); false when <paramref name="text"/> is not one.</summary>
    /// <param name="text">The text.</param>
    /// <param name="kind">The kind, or null.</param>
    public static bool TryParse(string? text, [NotNullWhen(true)] out RemediationKind? kind)
    {
        kind = All.FirstOrDefault(k => string.Equals(k.Name, text?.Trim(), StringComparison.OrdinalIgnoreCase));
        return kind is not null;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}

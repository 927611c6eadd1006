namespace Estimator.Host.Online;

/// <summary>Why a posted body was refused as a whole (400): the row (index in the array, or null for the body) and the field.</summary>
/// <param name="Row">The row's index in the posted array; null when the body itself is wrong.</param>
/// <param name="Field">The field (column name) at fault; null when the row or body is wrong as a whole.</param>
/// <param name="Message">What is wrong, in one sentence.</param>
public sealed record OnlineRequestError(int? Row, string? Field, string Message);

/// <summary>Thrown by the body parsers; the endpoint answers 400 with <see cref="Error"/>.</summary>
/// <param name="error">What is wrong.</param>
public sealed class OnlineRequestException(OnlineRequestError error) : Exception(error?.Message)
{
    /// <summary>What is wrong.</summary>
    public OnlineRequestError Error { get; } = error ?? throw new ArgumentNullException(nameof(error));
}

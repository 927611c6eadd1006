namespace Estimator.Tests.Notebooks;

/// <summary>
/// What a Polyglot C# kernel gives every cell and the harness imitates: <c>display(value)</c> and <c>HTML(text)</c>.
/// Lower-case names are the kernel's.
/// </summary>
#pragma warning disable IDE1006, CA1822 // the kernel's names; instance members so scripts see them as globals
public sealed class NotebookGlobals
{
    internal NotebookGlobals(Action<object?> sink) => Sink = sink;

    private Action<object?> Sink { get; }

    /// <summary>Shows a value below the cell.</summary>
    public void display(object? value) => Sink(value);

    /// <summary>Marks text as HTML for <see cref="display"/>.</summary>
    public HtmlText HTML(string html) => new(html);
}
#pragma warning restore IDE1006, CA1822

/// <summary>HTML to display.</summary>
/// <param name="Html">The markup.</param>
public sealed record HtmlText(string Html)
{
    /// <inheritdoc/>
    public override string ToString() => Html;
}

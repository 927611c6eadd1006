namespace Estimator.IO;

/// <summary>Collects one requested CSV column, cell by cell, as the column its role reads.</summary>
internal abstract class CsvCells(string name)
{
    public string Name { get; } = name;

    /// <summary>Adds the next cell (unquoted; only valid until the next row is read).</summary>
    public abstract void Add(ReadOnlySpan<char> cell);

    public abstract RawColumn Build();

    /// <summary>Makes room for <paramref name="capacity"/> cells at once (an estimate of the file's rows).</summary>
    public abstract void Reserve(int capacity);

    /// <summary>Grows <paramref name="array"/> (doubling) so that it can take one more item at <paramref name="count"/>.</summary>
    protected static void EnsureRoom<T>(ref T[] array, int count)
    {
        if (count == array.Length)
        {
            Array.Resize(ref array, Math.Max(1024, array.Length * 2));
        }
    }
}

/// <summary>Cells parsed as numbers as they are read; the cells that are not numbers kept as text.</summary>
internal sealed class NumberCells(string name) : CsvCells(name)
{
    private double[] _values = [];
    private int _count;
    private List<int>? _otherRows;
    private List<string>? _otherCells;

    public override void Add(ReadOnlySpan<char> cell)
    {
        EnsureRoom(ref _values, _count);
        if (!ColumnConverter.TryParseNumberText(cell, out var value))
        {
            (_otherRows ??= []).Add(_count);
            (_otherCells ??= []).Add(cell.ToString());
            value = double.NaN;
        }

        _values[_count++] = value;
    }

    public override void Reserve(int capacity) => Array.Resize(ref _values, Math.Max(capacity, _values.Length));

    // The buffer is handed over as it is (its length may exceed the rows): the role's conversion copies what it uses.
    public override RawColumn Build() =>
        new TextNumberColumn(Name, _values, _count, _otherRows?.ToArray() ?? [], _otherCells?.ToArray() ?? []);
}

/// <summary>Cells kept as text, for roles that read them as text (ids, timestamps, class labels, features).</summary>
internal sealed class TextCells(string name) : CsvCells(name)
{
    private string?[] _values = [];
    private int _count;

    public override void Add(ReadOnlySpan<char> cell)
    {
        EnsureRoom(ref _values, _count);
        _values[_count++] = cell.ToString();
    }

    public override void Reserve(int capacity) => Array.Resize(ref _values, Math.Max(capacity, _values.Length));

    public override RawColumn Build() => new StringColumn(Name, _values.Length == _count ? _values : _values[.._count], isText: true);
}

namespace Estimator.IO;

/// <summary>
/// A column as it came out of a file or data frame, before it is interpreted as a score, label, timestamp or id.
/// </summary>
internal abstract class RawColumn
{
    protected RawColumn(string name, string typeName)
    {
        Name = name;
        TypeName = typeName;
    }

    /// <summary>Column name in the source.</summary>
    public string Name { get; }

    /// <summary>The source type, for error messages (e.g. <c>Int64</c>, <c>String</c>).</summary>
    public string TypeName { get; }

    /// <summary>Number of rows.</summary>
    public abstract int Length { get; }
}

/// <summary>Floating-point or decimal values; null is stored as NaN.</summary>
internal sealed class DoubleColumn(string name, string typeName, double[] values) : RawColumn(name, typeName)
{
    public double[] Values { get; } = values;

    public override int Length => Values.Length;
}

/// <summary>Integer values of any width; null where <see cref="IsNull"/> says so.</summary>
internal sealed class IntegerColumn(string name, string typeName, long[] values, bool[] isNull) : RawColumn(name, typeName)
{
    public long[] Values { get; } = values;

    public bool[] IsNull { get; } = isNull;

    public override int Length => Values.Length;
}

/// <summary>Boolean values, null where missing.</summary>
internal sealed class BooleanColumn(string name, bool?[] values) : RawColumn(name, "Boolean")
{
    public bool?[] Values { get; } = values;

    public override int Length => Values.Length;
}

/// <summary>Timestamps already converted to UTC, null where missing.</summary>
internal sealed class DateTimeColumn(string name, string typeName, DateTime?[] values) : RawColumn(name, typeName)
{
    public DateTime?[] Values { get; } = values;

    public override int Length => Values.Length;
}

/// <summary>
/// Strings. <see cref="IsText"/> marks cells of a text format (CSV), which are parsed according to the column's role;
/// strings from a typed source (a Parquet string column) are only accepted as timestamps and ids.
/// </summary>
internal sealed class StringColumn(string name, string?[] values, bool isText) : RawColumn(name, isText ? "text" : "String")
{
    public string?[] Values { get; } = values;

    public bool IsText { get; } = isText;

    public override int Length => Values.Length;
}

/// <summary>
/// A text (CSV) column its reader was told will be read as numbers (scores, 0/1 labels, regression values): each cell
/// was parsed as <see cref="ColumnConverter"/> parses number text, NaN where missing, without keeping the text; the few
/// cells that are not numbers (<c>true</c>/<c>false</c> labels, or bad data) are kept verbatim, in row order, for the
/// role to accept or reject with the same message as for a <see cref="StringColumn"/>.
/// </summary>
internal sealed class TextNumberColumn(string name, double[] values, int length, int[] otherRows, string[] otherCells) : RawColumn(name, "text")
{
    /// <summary>The parsed cells (the first <see cref="Length"/>; the buffer may be longer); NaN for missing cells and for those in <see cref="OtherRows"/>.</summary>
    public double[] Values { get; } = values;

    /// <summary>The rows whose cells are not numbers, ascending.</summary>
    public int[] OtherRows { get; } = otherRows;

    /// <summary>The text of the cells in <see cref="OtherRows"/>, as read.</summary>
    public string[] OtherCells { get; } = otherCells;

    public override int Length => length;
}

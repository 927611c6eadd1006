namespace Estimator.Host.Configuration;

/// <summary>
/// Reads a model's <c>chunking</c>: one of <c>size</c>, <c>number</c> or <c>period</c>, and the <c>incomplete</c> rule.
/// The spellings and the rule for combining them are Core's (<see cref="ChunkingSyntax"/>); this reader says where in
/// the file a problem is.
/// </summary>
internal sealed class ChunkingSectionReader(ConfigNodes nodes)
{
    private static readonly string[] ChunkingKeys = ["size", "number", "period", "incomplete"];

    /// <summary>The chunking (Core's default when <paramref name="node"/> is null), or null when it has problems.</summary>
    /// <param name="node">The <c>chunking</c> value, or null when the model has none.</param>
    /// <param name="path">Its key path.</param>
    /// <param name="columns">The model's columns (period chunks need a timestamp), or null when they could not be read.</param>
    public Chunking? Read(YamlNode? node, string path, ColumnMapping? columns)
    {
        if (node is null)
        {
            return Chunking.Default;
        }

        var map = nodes.Mapping(node, path, ChunkingKeys);
        if (map is null)
        {
            return null;
        }

        var size = ConfigNodes.Get(map, "size");
        var number = ConfigNodes.Get(map, "number");
        var period = ConfigNodes.Get(map, "period");
        var incompleteNode = ConfigNodes.Get(map, "incomplete");
        if (size is null && number is null && period is null)
        {
            // Core's default (ten chunks) stands for a model without 'chunking'; an empty 'chunking' is a mistake.
            nodes.Problem(path, map.Start, "give one of size, number or period");
            return null;
        }

        // Which keys are given is checked against Core's rule before their values are read, so that a conflict is the
        // one problem reported for the section (the values stand in for "given").
        if (!ChunkingSyntax.TryCreate(size is null ? null : 1, number is null ? null : 1, period is null ? null : ChunkPeriod.Day, null, out _, out var conflict))
        {
            nodes.Problem(path, map.Start, conflict!);
            return null;
        }

        var before = nodes.ProblemCount;
        IncompleteChunk? incomplete = null;
        if (incompleteNode is not null)
        {
            incomplete = nodes.Parsed<IncompleteChunk>(incompleteNode, path + ".incomplete", ChunkingSyntax.TryParseIncomplete);
            if (period is not null)
            {
                nodes.Problem(path + ".incomplete", incompleteNode.Start, "period chunks take no 'incomplete' rule");
                return null;
            }
        }

        var sizeValue = size is null ? null : nodes.PositiveInt(size, path + ".size");
        var numberValue = number is null ? null : nodes.PositiveInt(number, path + ".number");
        var periodValue = period is null ? null : nodes.Parsed<ChunkPeriod>(period, path + ".period", ChunkingSyntax.TryParsePeriod);
        if (periodValue is not null && columns is not null && columns.Timestamp is null)
        {
            nodes.Problem(path + ".period", period!.Start, "period chunks need a timestamp column (columns.timestamp)");
        }

        if (nodes.ProblemCount > before)
        {
            return null;
        }

        if (!ChunkingSyntax.TryCreate(sizeValue, numberValue, periodValue, incomplete, out var chunking, out var error))
        {
            nodes.Problem(path, map.Start, error!);
            return null;
        }

        return chunking;
    }
}

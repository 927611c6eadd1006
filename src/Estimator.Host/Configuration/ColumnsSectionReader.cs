using Estimator.Calculators;
using Estimator.Estimation.Multiclass;

namespace Estimator.Host.Configuration;

/// <summary>
/// Reads which data columns a model's files use: <c>id_column</c> (joins targets to analysis rows) and <c>columns</c>
/// (scores, predictions, targets and timestamps). A <c>y_pred_proba</c> that is a mapping of class → score column, rather
/// than one column name, makes the model multiclass (<see cref="ColumnMapping.ClassScores"/>). A regression model's
/// columns are <c>y_pred</c> (the predicted value, required), <c>y_true</c> and <c>timestamp</c>; it has no score column.
/// </summary>
internal sealed class ColumnsSectionReader(ConfigNodes nodes)
{
    private static readonly string[] ColumnKeys = ["y_pred_proba", "y_pred", "y_true", "timestamp"];

    /// <summary>The column mapping (defaults for what is not given), or null when it has problems.</summary>
    /// <param name="model">The model's mapping, holding <c>id_column</c>, <c>columns</c> and <c>targets</c>.</param>
    /// <param name="modelPath">The model's key path, e.g. <c>models[0]</c>.</param>
    /// <param name="problem">What the model predicts.</param>
    public ColumnMapping? Read(YamlMappingNode model, string modelPath, ProblemKind problem)
    {
        var idColumn = ConfigNodes.Get(model, "id_column") is { } idNode ? nodes.NonEmptyString(idNode, modelPath + ".id_column") : null;
        if (ConfigNodes.Get(model, "targets") is not null && ConfigNodes.Get(model, "id_column") is null)
        {
            nodes.Problem(modelPath + ".id_column", model.Start, "missing: targets are joined to analysis rows by id_column");
        }

        var columns = new ColumnMapping { YTrue = "y_true", Id = idColumn };
        if (ConfigNodes.Get(model, "columns") is not { } node)
        {
            return columns;
        }

        var path = modelPath + ".columns";
        var map = nodes.Mapping(node, path, ColumnKeys);
        if (map is null)
        {
            return null;
        }

        var before = nodes.ProblemCount;
        if (problem == ProblemKind.Regression)
        {
            if (ConfigNodes.Get(map, "y_pred_proba") is { } scoreNode)
            {
                nodes.Problem(path + ".y_pred_proba", scoreNode.Start, "a regression model has no score column; its columns are y_pred (the predicted value), y_true and timestamp");
            }

            columns = columns with
            {
                YPred = Column(map, path, "y_pred", "y_pred", nullable: false),
                YTrue = Column(map, path, "y_true", "y_true", nullable: false),
                Timestamp = Column(map, path, "timestamp", null, nullable: true),
            };
            return nodes.ProblemCount > before ? null : columns;
        }

        var classMap = ConfigNodes.Get(map, "y_pred_proba") as YamlMappingNode;
        var classScores = classMap is null ? null : ClassScores(classMap, path + ".y_pred_proba");
        columns = columns with
        {
            YPredProba = classMap is not null ? "y_pred_proba" : Column(map, path, "y_pred_proba", "y_pred_proba", nullable: false) ?? "y_pred_proba",
            ClassScores = classScores,
            YPred = Column(map, path, "y_pred", "y_pred", nullable: true),
            YTrue = Column(map, path, "y_true", "y_true", nullable: false),
            Timestamp = Column(map, path, "timestamp", null, nullable: true),
        };
        return nodes.ProblemCount > before ? null : columns;
    }

    /// <summary>
    /// A multiclass model's <c>y_pred_proba</c>: class → score column, at least two, no column twice (checked here so
    /// each problem points at its entry; <see cref="ClassScoreColumns"/> would reject the same mappings).
    /// </summary>
    private ClassScoreColumns? ClassScores(YamlMappingNode map, string path)
    {
        var before = nodes.ProblemCount;
        var pairs = new List<KeyValuePair<string, string>>();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var @class = nodes.NonEmptyString(keyNode, path);
            var column = nodes.NonEmptyString(valueNode, @class is null ? path : $"{path}.{@class}");
            if (@class is null || column is null)
            {
                continue;
            }

            if (owners.TryGetValue(column, out var owner))
            {
                nodes.Problem($"{path}.{@class}", valueNode.Start, $"column '{column}' is already the score column of class '{owner}'; each class needs its own column");
                continue;
            }

            owners[column] = @class;
            pairs.Add(new(@class, column));
        }

        if (map.Children.Count < 2)
        {
            nodes.Problem(path, map.Start, FormattableString.Invariant(
                $"a multiclass model maps at least two classes to their score columns, e.g. {{a: score_a, b: score_b}}; got {map.Children.Count}. For a binary model give one column name"));
        }

        if (nodes.ProblemCount > before)
        {
            return null;
        }

        try
        {
            return new ClassScoreColumns(pairs);
        }
        catch (ArgumentException e)
        {
            nodes.Rejected(path, map.Start, e);
            return null;
        }
    }

    /// <summary>The column named under <paramref name="key"/>: <paramref name="fallback"/> when absent; null (no such column) only where allowed.</summary>
    private string? Column(YamlMappingNode map, string path, string key, string? fallback, bool nullable)
    {
        if (ConfigNodes.Get(map, key) is not { } valueNode)
        {
            return fallback;
        }

        if (ConfigNodes.IsNull(valueNode))
        {
            if (!nullable)
            {
                nodes.Problem($"{path}.{key}", valueNode.Start, "must name a column");
            }

            return null;
        }

        return nodes.NonEmptyString(valueNode, $"{path}.{key}");
    }
}

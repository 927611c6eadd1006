using Estimator.Calculators;

namespace Estimator.Host.Configuration;

/// <summary>
/// Reads a model's <c>online</c> section (window, ingestion token, body and concurrency limits) and checks what the
/// online path needs of the rest of the model: a binary classifier with an id column, chunked by the window, without
/// drift or quality columns (posted rows do not carry them).
/// </summary>
internal sealed class OnlineSectionReader(ConfigNodes nodes)
{
    private static readonly string[] OnlineKeys = ["window", "token", "token_env", "max_body_bytes", "max_in_flight", "refresh_ms"];

    /// <summary>The section, or null when it has problems.</summary>
    public OnlineConfig? Read(YamlNode node, string path)
    {
        var map = nodes.Mapping(node, path, OnlineKeys);
        if (map is null)
        {
            return null;
        }

        var before = nodes.ProblemCount;
        var window = nodes.Required(map, "window", path) is { } windowNode ? nodes.PositiveInt(windowNode, path + ".window") : null;
        var token = nodes.Secret(map, "token", "token_env", path);
        if (token is { Length: < 16 })
        {
            nodes.Problem(path + ".token", map.Start, "too short: use at least 16 characters");
        }

        var maxBody = ConfigNodes.Get(map, "max_body_bytes") is { } bodyNode ? nodes.PositiveInt(bodyNode, path + ".max_body_bytes") : null;
        var inFlight = ConfigNodes.Get(map, "max_in_flight") is { } flightNode ? nodes.PositiveInt(flightNode, path + ".max_in_flight") : null;
        var refresh = ConfigNodes.Get(map, "refresh_ms") is { } refreshNode ? nodes.PositiveInt(refreshNode, path + ".refresh_ms") : null;
        if (nodes.ProblemCount > before || window is null)
        {
            return null;
        }

        return new OnlineConfig
        {
            Window = window.Value,
            Token = token,
            MaxBodyBytes = maxBody ?? OnlineConfig.DefaultMaxBodyBytes,
            MaxInFlight = inFlight ?? OnlineConfig.DefaultMaxInFlight,
            RefreshInterval = refresh is { } ms ? TimeSpan.FromMilliseconds(ms) : OnlineConfig.DefaultRefreshInterval,
        };
    }

    /// <summary>
    /// Checks the model around an <c>online</c> section and returns its chunking: the configured one when it is
    /// <c>{size: window}</c>, that chunking when none is configured; null (with a problem) otherwise.
    /// </summary>
    public Chunking? Check(YamlMappingNode map, YamlNode onlineNode, string path, OnlineConfig? online, ProblemKind? problem, ColumnMapping? columns, Chunking? chunking)
    {
        var at = path + ".online";
        if (problem == ProblemKind.Regression || columns?.ClassScores is not null)
        {
            nodes.Problem(at, onlineNode.Start, "online: is supported for binary classification models (one y_pred_proba column); this model is " + (problem == ProblemKind.Regression ? "a regression model" : "multiclass"));
            return null;
        }

        if (ConfigNodes.Get(map, "id_column") is null)
        {
            nodes.Problem(at, onlineNode.Start, "needs id_column: posted rows and labels are joined by id");
        }

        foreach (var key in (string[])["drift", "quality"])
        {
            if (ConfigNodes.Get(map, key) is { } node)
            {
                nodes.Problem($"{path}.{key}", node.Start, "not available with online: posted rows carry no input columns; remove it or monitor the model's files without online");
            }
        }

        if (online is null)
        {
            return null;
        }

        if (ConfigNodes.Get(map, "chunking") is not { } chunkingNode)
        {
            return Chunking.BySize(online.Window);
        }

        if (chunking is SizeChunking { Size: var size } && size == online.Window)
        {
            return chunking;
        }

        if (chunking is not null)
        {
            nodes.Problem(path + ".chunking", chunkingNode.Start, FormattableString.Invariant($"an online model is chunked by its window: give {{size: {online.Window}}} or leave chunking out"));
        }

        return null;
    }

    /// <summary>
    /// Checks an online model's estimator: a shift-aware one's posted rows carry its features beside the model's own
    /// columns, so no feature may be one of them; <c>refresh_ms</c> only paces a shift-aware window (a plain CBPE window
    /// is updated with every batch).
    /// </summary>
    public void CheckEstimator(YamlMappingNode map, YamlNode onlineNode, string path, bool shiftAware, ColumnMapping columns, string? idColumn, IReadOnlyList<string> features)
    {
        if (!shiftAware && onlineNode is YamlMappingNode online && ConfigNodes.Get(online, "refresh_ms") is { } refreshNode)
        {
            nodes.Problem(path + ".online.refresh_ms", refreshNode.Start, "paces a shift-aware window (estimator: auto, weighted or prior); this model's window is plain CBPE, updated with every batch");
        }

        if (!shiftAware || ConfigNodes.Get(map, "features") is not { } featuresNode)
        {
            return;
        }

        var own = new (string? Column, string Role)[] { (idColumn, "id_column"), (columns.YPredProba, "y_pred_proba"), (columns.YPred, "y_pred"), (columns.YTrue, "y_true"), (columns.Timestamp, "timestamp") };
        foreach (var feature in features)
        {
            if (own.FirstOrDefault(c => string.Equals(c.Column, feature, StringComparison.Ordinal)) is { Column: not null } clash)
            {
                var at = featuresNode is YamlSequenceNode items
                    ? items.Children.FirstOrDefault(n => n is YamlScalarNode { Value: var v } && v == feature)?.Start ?? featuresNode.Start
                    : featuresNode.Start;
                nodes.Problem(path + ".features", at, $"'{feature}' is the model's {clash.Role} column; a posted row carries its features beside its own columns, so a feature cannot be one of them");
            }
        }
    }
}

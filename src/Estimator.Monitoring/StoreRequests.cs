namespace Estimator.Monitoring;

/// <summary>A calibrate run: fit the model on its reference unless the fitted model for this reference and these options is stored.</summary>
/// <param name="Model">The model.</param>
public sealed record CalibrateRequest(ModelDefinition Model)
{
    /// <summary>Receives progress on the calling thread; null reports nothing.</summary>
    public IProgress<RunProgress>? Progress { get; init; }
}

/// <summary>An estimate run over the analysis files that arrived since the last run.</summary>
/// <param name="Model">The model.</param>
public sealed record EstimateRequest(ModelDefinition Model)
{
    /// <summary>Receives the ids of the work items other workers may run (a large run is split); null keeps the run in this call.</summary>
    public Action<IReadOnlyList<string>>? HandOff { get; init; }

    /// <summary>Receives progress on the calling thread; null reports nothing.</summary>
    public IProgress<RunProgress>? Progress { get; init; }
}

/// <summary>One handed-off work item of a split estimate run.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Item">The item's id as handed off (<c>runNNNNNN-itemNNN</c>).</param>
public sealed record WorkItemRequest(string Model, string Item)
{
    /// <summary>Receives progress on the calling thread, with <see cref="RunProgress.Item"/> set; null reports nothing.</summary>
    public IProgress<RunProgress>? Progress { get; init; }
}

namespace Estimator.Scenarios;

/// <summary>A named synthetic world for <see cref="ScenarioGenerator"/>: what changes between reference and analysis.</summary>
public enum Scenario
{
    /// <summary>Nothing changes: analysis is drawn like the reference. CBPE tracks realized performance.</summary>
    Stable,

    /// <summary>
    /// The feature mix moves half-way through the analysis (rows crowd towards the decision boundary) while P(y|x) is
    /// fixed: performance drops and CBPE, with calibrated scores, tracks it.
    /// </summary>
    CovariateShift,

    /// <summary>
    /// P(y|x) changes half-way through the analysis (one feature's effect reverses) while the model and the feature
    /// mix stay: performance collapses and CBPE, which trusts the scores, cannot see it.
    /// </summary>
    ConceptDrift,

    /// <summary>
    /// The class balance moves half-way through the analysis (positives from about 40 % to about 75 %) with P(x|y)
    /// fixed, so P(y|score) changes too: CBPE's estimates drift away from realized.
    /// </summary>
    PriorShift,

    /// <summary>
    /// The covariate-shift world whose analysis targets arrive late, in several batches (files), the latest rows'
    /// labels last: realized performance is known only partially until the last batch.
    /// </summary>
    LabelDelay,
}

/// <summary>Parses and prints scenario names in snake_case (<c>covariate_shift</c>).</summary>
public static class ScenarioNames
{
    private static readonly NameTable<Scenario> Names = new(
        "stable", "covariate_shift", "concept_drift", "prior_shift", "label_delay");

    /// <summary>Every scenario name, in <see cref="Scenario"/> order.</summary>
    public static IReadOnlyList<string> All => Names.Names;

    /// <summary>The snake_case name of a scenario.</summary>
    /// <param name="scenario">The scenario.</param>
    public static string ToName(this Scenario scenario) => Names.NameOf(scenario, nameof(scenario), "Unknown scenario.");

    /// <summary>Parses a scenario name (snake_case or kebab-case, case-insensitive).</summary>
    /// <param name="name">The name.</param>
    /// <param name="scenario">The scenario, when the name is known.</param>
    public static bool TryParse(string? name, out Scenario scenario) => Names.TryParse(name?.Replace('-', '_'), out scenario);

    /// <summary>Parses a scenario name or throws <see cref="ArgumentException"/> listing the known names.</summary>
    /// <param name="name">The name.</param>
    public static Scenario Parse(string name) => TryParse(name, out var scenario)
        ? scenario
        : throw new ArgumentException($"Unknown scenario '{name}'; known scenarios: {string.Join(", ", All)}.", nameof(name));
}

using Estimator.Drift;
using Estimator.Monitoring;

namespace Estimator.Cli;

/// <summary><c>estimator drift</c>: univariate drift of the listed columns (and optionally a multivariate method), reference against analysis, written as a drift file.</summary>
internal static class DriftCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var columns = new Option<string>("--columns") { Description = "Comma-separated input columns to compare.", Required = true };
        var categorical = new Option<string?>("--categorical") { Description = "Columns to treat as categorical whatever their type (e.g. an integer label)." };
        var continuous = new Option<string?>("--continuous") { Description = "Columns to treat as continuous whatever their type." };
        var continuousMethods = Defaulted.Option<string>("--continuous-methods", "jensen_shannon", "Methods for continuous columns: kolmogorov_smirnov, jensen_shannon, wasserstein, hellinger.");
        var categoricalMethods = Defaulted.Option<string>("--categorical-methods", "jensen_shannon", "Methods for categorical columns: chi2, jensen_shannon, l_infinity, hellinger.");
        var multivariate = new Option<string?>("--multivariate") { Description = "Also a multivariate method: reconstruction (PCA reconstruction error) or classifier (domain classifier)." };
        multivariate.AcceptOnlyFromAmong([.. MultivariateDrifts.Names]);

        return FeatureCommandOptions.Create(
            "drift",
            "Compare each listed column's distribution per chunk with the reference (NannyML's univariate drift).",
            [columns, categorical, continuous, continuousMethods, categoricalMethods, multivariate],
            stdout,
            stderr,
            (parse, shared) =>
            {
                // The option accepts only these names, so anything else is "none" (the option was not given).
                var method = MultivariateDrifts.TryParse(parse.GetValue(multivariate), out var parsed) ? parsed : MultivariateDrift.None;
                var names = FeatureCommandOptions.List(parse.GetValue(columns), "--columns");
                var options = new UnivariateDriftOptions
                {
                    Columns = names,
                    TreatAsCategorical = Known(FeatureCommandOptions.List(parse.GetValue(categorical), "--categorical"), names, "--categorical"),
                    TreatAsContinuous = Known(FeatureCommandOptions.List(parse.GetValue(continuous), "--continuous"), names, "--continuous"),
                    ContinuousMethods = Methods(parse.GetValue(continuousMethods)!, FeatureKind.Continuous, "--continuous-methods"),
                    CategoricalMethods = Methods(parse.GetValue(categoricalMethods)!, FeatureKind.Categorical, "--categorical-methods"),
                    Chunking = shared.Chunking(parse),
                };
                UnivariateDriftCalculator calculator;
                try
                {
                    calculator = new UnivariateDriftCalculator(options);
                }
                catch (ArgumentException e)
                {
                    throw new OptionException(e.Message);
                }

                var calculators = new List<ICalculator> { calculator };
                if (method == MultivariateDrift.Reconstruction)
                {
                    // NannyML's reconstruction error on the same columns, kinds by type (it has no overrides).
                    calculators.Add(new ReconstructionErrorCalculator(new ReconstructionErrorOptions { Columns = names, Chunking = options.Chunking }));
                }
                else if (method == MultivariateDrift.Classifier)
                {
                    // NannyML's domain classifier on the same columns, kinds by type: --categorical on a numeric column
                    // would only re-code it by its sorted values, which changes no tree split.
                    calculators.Add(new DomainClassifierCalculator(new DomainClassifierOptions { Columns = names, Chunking = options.Chunking }));
                }

                // The domain classifier cross-validates each chunk against the whole reference: it reads the analysis whole.
                return shared.FitAndCalculate(parse, calculators, names, stream: method != MultivariateDrift.Classifier);
            });
    }

    private static List<string> Known(List<string> listed, List<string> columns, string option) =>
        listed.FirstOrDefault(c => !columns.Contains(c)) is { } unknown
            ? throw new OptionException($"{option}: '{unknown}' is not one of --columns")
            : listed;

    private static List<DriftMethod> Methods(string text, FeatureKind kind, string option)
    {
        var methods = new List<DriftMethod>();
        foreach (var name in FeatureCommandOptions.List(text, option))
        {
            if (!DriftMethods.TryParse(name, out var method))
            {
                throw new OptionException($"{option}: unknown method '{name}'");
            }

            if (!method.Supports(kind))
            {
                throw new OptionException($"{option}: {name} does not apply to {kind.Name()} columns");
            }

            methods.Add(method);
        }

        return methods.Count > 0 ? methods : throw new OptionException($"{option}: no method given");
    }
}

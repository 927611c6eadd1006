using Estimator.Quality;

namespace Estimator.Cli;

/// <summary><c>estimator quality</c>: missing values, unseen values (and optionally range violations and summary statistics) per chunk.</summary>
internal static class QualityCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var missing = new Option<string?>("--missing-columns") { Description = "Comma-separated columns whose missing-value rate is tracked." };
        var unseen = new Option<string?>("--unseen-columns") { Description = "Comma-separated categorical columns whose rate of values never seen in the reference is tracked." };
        var range = new Option<string?>("--range-columns") { Description = "Comma-separated numeric columns whose rate of values outside the reference's [min, max] is tracked." };
        var statistics = new Option<string?>("--statistics-columns") { Description = "Comma-separated numeric columns whose mean, median and standard deviation (and the row count) are tracked." };

        return FeatureCommandOptions.Create(
            "quality",
            "Track data quality per chunk against the reference (NannyML's missing- and unseen-values calculators).",
            [missing, unseen, range, statistics],
            stdout,
            stderr,
            (parse, shared) =>
            {
                var lists = new (List<string> Columns, Func<DataQualityOptions, DataQualityCalculator> Create)[]
                {
                    (FeatureCommandOptions.List(parse.GetValue(missing), "--missing-columns"), o => new MissingValuesCalculator(o)),
                    (FeatureCommandOptions.List(parse.GetValue(unseen), "--unseen-columns"), o => new UnseenValuesCalculator(o)),
                    (FeatureCommandOptions.List(parse.GetValue(range), "--range-columns"), o => new RangeViolationsCalculator(o)),
                    (FeatureCommandOptions.List(parse.GetValue(statistics), "--statistics-columns"), o => new SummaryStatisticsCalculator(o)),
                };
                if (lists.All(l => l.Columns.Count == 0))
                {
                    throw new OptionException("give at least one of --missing-columns, --unseen-columns, --range-columns and --statistics-columns");
                }

                var all = lists.SelectMany(l => l.Columns).Distinct(StringComparer.Ordinal).ToList();
                var chunking = shared.Chunking(parse);
                var calculators = lists.Where(l => l.Columns.Count > 0)
                    .Select(l => (ICalculator)l.Create(new DataQualityOptions { Columns = l.Columns, Chunking = chunking }))
                    .ToList();
                return shared.FitAndCalculate(parse, calculators, all);
            });
    }
}

using System.Globalization;
using System.Text;
using Estimator.Calculators;

namespace Estimator.Benchmarks;

/// <summary>
/// Synthetic rows shaped like NannyML's hotel-bookings benchmark (24 columns; the dataset itself is not in the repo):
/// 14 numeric columns (lead times, stays, counts, a price; two with missing values) and 10 categorical ones of 2 to
/// 160 levels (hotel, month, meal, country, market segment, ...). The analysis drifts in its second half (longer lead
/// times, more of one country and segment, higher prices), as the car-loan analysis does.
/// </summary>
internal static class HotelShapedData
{
    public static readonly string[] Numeric =
    [
        "lead_time", "arrival_date_week_number", "arrival_date_day_of_month", "stays_in_weekend_nights", "stays_in_week_nights",
        "adults", "children", "babies", "previous_cancellations", "previous_bookings_not_canceled", "booking_changes",
        "days_in_waiting_list", "adr", "total_of_special_requests",
    ];

    public static readonly string[] Categorical =
    [
        "hotel", "arrival_date_month", "meal", "country", "market_segment", "distribution_channel",
        "reserved_room_type", "assigned_room_type", "deposit_type", "customer_type",
    ];

    private static readonly int[] Levels = [2, 12, 5, 160, 8, 5, 10, 12, 3, 4];

    public static IReadOnlyList<string> Columns => [.. Numeric, .. Categorical];

    /// <summary><paramref name="rows"/> rows one minute apart from <paramref name="start"/>; drift when <paramref name="drifts"/>.</summary>
    public static ModelData Generate(int rows, int seed, bool drifts, DateTime start)
    {
        var random = new Random(seed);
        var numbers = new double[Numeric.Length][];
        var categories = new string?[Categorical.Length][];
        for (var c = 0; c < numbers.Length; c++)
        {
            numbers[c] = new double[rows];
        }

        for (var c = 0; c < categories.Length; c++)
        {
            categories[c] = new string?[rows];
        }

        var labels = new string[Categorical.Length][];
        for (var c = 0; c < labels.Length; c++)
        {
            labels[c] = [.. Enumerable.Range(0, Levels[c]).Select(k => Categorical[c][..3].ToUpperInvariant() + k.ToString(CultureInfo.InvariantCulture))];
        }

        for (var i = 0; i < rows; i++)
        {
            var shifted = drifts && i >= rows / 2;
            numbers[0][i] = Math.Floor(-Math.Log(1 - random.NextDouble()) * (shifted ? 140 : 100));
            numbers[1][i] = 1 + random.Next(53);
            numbers[2][i] = 1 + random.Next(31);
            numbers[3][i] = random.Next(4);
            numbers[4][i] = random.Next(shifted ? 8 : 6);
            numbers[5][i] = 1 + random.Next(3);
            numbers[6][i] = random.NextDouble() < 0.01 ? double.NaN : random.Next(3);
            numbers[7][i] = random.NextDouble() < 0.99 ? 0 : 1;
            numbers[8][i] = random.NextDouble() < 0.95 ? 0 : random.Next(1, 5);
            numbers[9][i] = random.NextDouble() < 0.97 ? 0 : random.Next(1, 20);
            numbers[10][i] = random.Next(4);
            numbers[11][i] = random.NextDouble() < 0.97 ? 0 : random.Next(1, 200);
            numbers[12][i] = random.NextDouble() < 0.005 ? double.NaN : Math.Round(40 + (random.NextDouble() * 160) + (shifted ? 15 : 0), 2);
            numbers[13][i] = random.Next(4);
            for (var c = 0; c < categories.Length; c++)
            {
                // Skewed levels (the first ones most common); the shifted half favours level 1 of country and segment.
                var k = (int)(Levels[c] * Math.Pow(random.NextDouble(), 2.5));
                if (shifted && (c == 3 || c == 4) && random.NextDouble() < 0.2)
                {
                    k = 1;
                }

                categories[c][i] = labels[c][k];
            }
        }

        var features = new List<FeatureColumn>();
        for (var c = 0; c < numbers.Length; c++)
        {
            features.Add(new NumericFeature(Numeric[c], numbers[c]));
        }

        for (var c = 0; c < categories.Length; c++)
        {
            features.Add(new CategoricalFeature(Categorical[c], categories[c]));
        }

        return new ModelData(rows, [.. Enumerable.Range(0, rows).Select(i => start.AddMinutes(i))]) { Features = features };
    }

    /// <summary>The rows as CSV (timestamp first; a missing number is an empty cell) for the whole-process benchmark.</summary>
    public static void WriteCsv(ModelData data, string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.WriteLine("timestamp," + string.Join(',', Columns));
        var line = new StringBuilder();
        for (var i = 0; i < data.Count; i++)
        {
            line.Clear().Append(data.Timestamps![i].ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
            foreach (var name in Numeric)
            {
                var v = ((NumericFeature)data.Feature(name)).Values[i];
                line.Append(',');
                if (!double.IsNaN(v))
                {
                    line.Append(v.ToString("R", CultureInfo.InvariantCulture));
                }
            }

            foreach (var name in Categorical)
            {
                line.Append(',').Append(((CategoricalFeature)data.Feature(name)).Values[i]);
            }

            writer.WriteLine(line);
        }
    }
}

using ScottPlot;

namespace Estimator.Plots;

/// <summary>The house look shared by every chart.</summary>
internal static class PlotStyle
{
    private static readonly string FontName = PickFont();

    public static void Apply(Plot plot)
    {
        plot.Font.Set(FontName);
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.08);
        plot.Legend.FontSize = 12;
    }

    /// <summary>A sans-serif family the font manager has (DejaVu Sans on Debian), else ScottPlot's default.</summary>
    private static string PickFont()
    {
        foreach (var name in new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica" })
        {
            var typeface = Fonts.GetTypeface(name, bold: false, italic: false);
            if (typeface is not null && string.Equals(typeface.FamilyName, name, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        return Fonts.Default;
    }
}

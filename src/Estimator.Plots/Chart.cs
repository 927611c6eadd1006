using System.Globalization;
using System.Text;
using ScottPlot;
using SkiaSharp;

namespace Estimator.Plots;

/// <summary>
/// A rendered-on-demand chart: one or more ScottPlot panels stacked vertically, saved as PNG or SVG, or returned as
/// bytes, SVG text or an HTML <c>&lt;img&gt;</c> tag for inline display in a notebook.
/// </summary>
/// <remarks>
/// The panels are ordinary <see cref="Plot"/> objects: change their styling before saving if the defaults do not
/// suit. Rendering does not change the data drawn.
/// </remarks>
public sealed class Chart
{
    /// <summary>Creates a chart from panels of equal width.</summary>
    /// <param name="panels">The panels, top to bottom; at least one.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="panelHeight">Height of each panel in pixels.</param>
    /// <exception cref="ArgumentException">No panel is given.</exception>
    public Chart(IReadOnlyList<Plot> panels, int width, int panelHeight)
    {
        ArgumentNullException.ThrowIfNull(panels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(panelHeight);
        if (panels.Count == 0)
        {
            throw new ArgumentException("A chart needs at least one panel.", nameof(panels));
        }

        Panels = panels;
        Width = width;
        PanelHeight = panelHeight;
    }

    /// <summary>The panels, top to bottom (one per metric for a performance chart).</summary>
    public IReadOnlyList<Plot> Panels { get; }

    /// <summary>Width of the image in pixels.</summary>
    public int Width { get; }

    /// <summary>Height of each panel in pixels.</summary>
    public int PanelHeight { get; }

    /// <summary>Height of the image in pixels: panels × panel height.</summary>
    public int Height => Panels.Count * PanelHeight;

    /// <summary>The chart as a PNG image.</summary>
    public byte[] ToPng()
    {
        // Each panel renders on its own surface (a ScottPlot render fills the whole canvas it is given), then the
        // images are stacked.
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        for (var i = 0; i < Panels.Count; i++)
        {
            using var panel = SKSurface.Create(new SKImageInfo(Width, PanelHeight));
            Panels[i].Render(panel.Canvas, Width, PanelHeight);
            using var image = panel.Snapshot();
            canvas.DrawImage(image, 0, i * PanelHeight);
        }

        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The chart as an SVG document (each panel a nested <c>&lt;svg&gt;</c> element).</summary>
    public string ToSvg()
    {
        // Skia's SVG canvas cannot draw dash patterns: it prints "Unsupported path effect" for each and draws the line
        // solid anyway. Draw them solid on purpose (colours still tell the lines apart) and keep the dashes for PNG.
        var dashed = new List<(LineStyle Style, LinePattern Pattern)>();
        foreach (var panel in Panels)
        {
            foreach (var line in panel.GetPlottables().OfType<IHasLine>())
            {
                if (line.LineStyle.Pattern.Name != LinePattern.Solid.Name)
                {
                    dashed.Add((line.LineStyle, line.LineStyle.Pattern));
                    line.LineStyle.Pattern = LinePattern.Solid;
                }
            }
        }

        try
        {
            return RenderSvg();
        }
        finally
        {
            foreach (var (style, pattern) in dashed)
            {
                style.Pattern = pattern;
            }
        }
    }

    private string RenderSvg()
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\">\n");
        for (var i = 0; i < Panels.Count; i++)
        {
            var panel = Panels[i].GetSvgXml(Width, PanelHeight);
            var start = panel.IndexOf("<svg", StringComparison.Ordinal);
            var open = panel.IndexOf('>', start);
            var close = panel.LastIndexOf("</svg>", StringComparison.Ordinal);
            builder.Append(CultureInfo.InvariantCulture, $"<svg x=\"0\" y=\"{i * PanelHeight}\" width=\"{Width}\" height=\"{PanelHeight}\">");
            // Ids (clip paths) are numbered per panel: prefix them so they stay unique in one document.
            var body = panel[(open + 1)..close]
                .Replace("id=\"", $"id=\"p{i}_", StringComparison.Ordinal)
                .Replace("url(#", $"url(#p{i}_", StringComparison.Ordinal)
                .Replace("href=\"#", $"href=\"#p{i}_", StringComparison.Ordinal);
            builder.Append(body);
            builder.Append("</svg>\n");
        }

        builder.Append("</svg>\n");
        return builder.ToString();
    }

    /// <summary>An HTML <c>&lt;img&gt;</c> tag holding the PNG as a data URI, for <c>display(HTML(chart.ToHtml()))</c> in a notebook.</summary>
    public string ToHtml() => string.Create(
        CultureInfo.InvariantCulture,
        $"<img src=\"data:image/png;base64,{Convert.ToBase64String(ToPng())}\" width=\"{Width}\" height=\"{Height}\" />");

    /// <summary>Writes the chart as a PNG file.</summary>
    /// <param name="path">The file to write; its directory must exist.</param>
    public void SavePng(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllBytes(path, ToPng());
    }

    /// <summary>Writes the chart as an SVG file.</summary>
    /// <param name="path">The file to write; its directory must exist.</param>
    public void SaveSvg(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllText(path, ToSvg());
    }

    /// <summary>Writes the chart as PNG or SVG, chosen by the extension of <paramref name="path"/> (<c>.png</c> or <c>.svg</c>, any case).</summary>
    /// <param name="path">The file to write; its directory must exist.</param>
    /// <exception cref="ArgumentException">The extension is neither <c>.png</c> nor <c>.svg</c>.</exception>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        switch (Path.GetExtension(path).ToUpperInvariant())
        {
            case ".PNG":
                SavePng(path);
                break;
            case ".SVG":
                SaveSvg(path);
                break;
            default:
                throw new ArgumentException($"'{path}': a chart is saved as .png or .svg.", nameof(path));
        }
    }

    /// <summary>Whether <paramref name="path"/> has an extension <see cref="Save"/> accepts.</summary>
    /// <param name="path">A file path.</param>
    public static bool IsSupportedPath(string path) =>
        Path.GetExtension(path).ToUpperInvariant() is ".PNG" or ".SVG";
}

using System.Collections;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Estimator.Calculators;
using Estimator.Estimation;
using Estimator.IO;
using Estimator.Plots;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Estimator.Tests.Notebooks;

/// <summary>
/// Runs the C# code cells of a Polyglot notebook in order with shared state (Roslyn scripting), collecting each cell's
/// outputs as Jupyter output objects; optionally writes them back into the notebook.
/// </summary>
/// <remarks>
/// The notebooks load Estimator as packages (a first cell that sends <c>#i "nuget: feed"</c> and
/// <c>#r "nuget: Estimator.Plots, version"</c> to the kernel); here that cell, such lines and <c>#!</c> magics are
/// skipped and the cells see the assemblies this test project references instead
/// (the real kernel's run of the packages is <c>.ci/run</c>'s). What the packages' notebook extension registers as HTML
/// formatters (<see cref="CalculatorResult"/> as table and chart, <see cref="Chart"/> as image) is imitated in
/// <see cref="Display"/>. <c>#r "relative.dll"</c> resolves against the notebook's directory, which is also the current
/// directory while the cells run. Console output is captured process-wide, so notebooks must not run in parallel.
/// </remarks>
public static partial class NotebookRunner
{
    /// <summary>Set to 1 to write the outputs into the committed notebooks.</summary>
    public const string UpdateVariable = "ESTIMATOR_UPDATE_NOTEBOOKS";

    // What the .NET Interactive C# kernel imports by default (not System.IO: a notebook says `using System.IO;`).
    private static readonly string[] Imports = ["System", "System.Linq", "System.Text", "System.Collections.Generic", "System.Threading.Tasks"];

    public static async Task<ScriptState<object>> RunAsync(string notebookPath)
    {
        var fullPath = Path.GetFullPath(notebookPath);
        var directory = Path.GetDirectoryName(fullPath)!;
        var notebook = JsonNode.Parse(await File.ReadAllTextAsync(fullPath))!.AsObject();
        var cells = notebook["cells"]!.AsArray();

        var outputs = new List<JsonObject>();
        var stdout = new StringBuilder();
        var globals = new NotebookGlobals(value =>
        {
            Flush(stdout, outputs);
            outputs.Add(Display(value, "display_data", null));
        });
        var options = ScriptOptions.Default
            .WithImports(Imports)
            .WithReferences(
                typeof(object).Assembly,
                typeof(Enumerable).Assembly,
                typeof(NotebookGlobals).Assembly,
                typeof(CbpeResult).Assembly,
                typeof(ColumnMapping).Assembly,
                typeof(Estimator.Learning.FittedDle).Assembly,
                typeof(Chart).Assembly,
                typeof(Estimator.Monitoring.ModelRunner).Assembly,
                typeof(Microsoft.Data.Analysis.DataFrame).Assembly)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(directory).WithSearchPaths(directory))
            .WithSourceResolver(ScriptSourceResolver.Default.WithBaseDirectory(directory))
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithEmitDebugInformation(false);

        var previousDirectory = Directory.GetCurrentDirectory();
        var previousOut = Console.Out;
        using var writer = new StringWriter(stdout, CultureInfo.InvariantCulture);
        ScriptState<object>? state = null;
        var executionCount = 0;
        try
        {
            Directory.SetCurrentDirectory(directory);
            Console.SetOut(writer);
            foreach (var cell in cells)
            {
                if ((string?)cell!["cell_type"] != "code")
                {
                    continue;
                }

                var kernel = (string?)cell["metadata"]?["polyglot_notebook"]?["kernelName"];
                if (kernel != "csharp")
                {
                    throw new InvalidOperationException($"{Path.GetFileName(fullPath)}: a code cell's kernel is '{kernel}', expected csharp");
                }

                var source = Source(cell);
                if (source.Contains("Microsoft.DotNet.Interactive.", StringComparison.Ordinal))
                {
                    // The cell that loads the packages talks to the kernel itself; here the references stand in for it.
                    continue;
                }

                var code = Prepare(source);
                outputs.Clear();
                stdout.Clear();
                executionCount++;
                try
                {
                    state = state is null
                        ? await CSharpScript.RunAsync(code, options, globals, typeof(NotebookGlobals))
                        : await state.ContinueWithAsync(code, options);
                }
                catch (CompilationErrorException e)
                {
                    throw new InvalidOperationException($"{Path.GetFileName(fullPath)}, code cell {executionCount}: {string.Join(Environment.NewLine, e.Diagnostics)}\n{code}", e);
                }

                if (state.Exception is not null)
                {
                    throw new InvalidOperationException($"{Path.GetFileName(fullPath)}, code cell {executionCount} threw", state.Exception);
                }

                writer.Flush();
                Flush(stdout, outputs);
                if (state.ReturnValue is not null)
                {
                    outputs.Add(Display(state.ReturnValue, "execute_result", executionCount));
                }

                cell["execution_count"] = executionCount;
                cell["outputs"] = new JsonArray(outputs.Select(o => (JsonNode)o.DeepClone()).ToArray());
            }
        }
        finally
        {
            Console.SetOut(previousOut);
            Directory.SetCurrentDirectory(previousDirectory);
        }

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            var json = notebook.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            await File.WriteAllTextAsync(fullPath, json.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        }

        return state ?? throw new InvalidOperationException($"{Path.GetFileName(fullPath)} has no code cell");
    }

    private static string Source(JsonNode cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue text => (string?)text ?? "",
        _ => "",
    };

    /// <summary>Drops what only the real kernel understands: <c>#!</c> magics, <c>#i "nuget:"</c> sources and <c>#r "nuget:"</c> packages.</summary>
    private static string Prepare(string source)
    {
        var lines = source.Split('\n').Where(l =>
        {
            var t = l.TrimStart();
            return !t.StartsWith("#!", StringComparison.Ordinal)
                && !t.StartsWith("#r \"nuget:", StringComparison.OrdinalIgnoreCase)
                && !t.StartsWith("#i \"nuget:", StringComparison.OrdinalIgnoreCase);
        });
        return string.Join('\n', lines);
    }

    private static void Flush(StringBuilder stdout, List<JsonObject> outputs)
    {
        if (stdout.Length == 0)
        {
            return;
        }

        outputs.Add(new JsonObject
        {
            ["name"] = "stdout",
            ["output_type"] = "stream",
            ["text"] = Lines(stdout.ToString()),
        });
        stdout.Clear();
    }

    private static JsonObject Display(object? value, string outputType, int? executionCount)
    {
        var data = new JsonObject();
        value = value switch
        {
            Chart chart => new HtmlText(chart.ToHtml()),
            CalculatorResult result => new HtmlText(result.ToHtml()),
            _ => value,
        };
        switch (value)
        {
            case HtmlText html when PngImage().Match(html.Html) is { Success: true } match:
                data["image/png"] = match.Groups[1].Value;
                data["text/plain"] = Lines("<chart>");
                break;
            case HtmlText html:
                data["text/html"] = Lines(html.Html);
                break;
            case null:
                data["text/plain"] = Lines("<null>");
                break;
            default:
                if (value.GetType().FullName == "Microsoft.Data.Analysis.DataFrame")
                {
                    data["text/html"] = Lines(DataFrameHtml(value));
                }

                data["text/plain"] = Lines(Plain(value));
                break;
        }

        var output = new JsonObject { ["data"] = data, ["metadata"] = new JsonObject(), ["output_type"] = outputType };
        if (executionCount is int count)
        {
            output["execution_count"] = count;
        }

        return output;
    }

    private static string Plain(object value) => value switch
    {
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e when value.GetType().FullName != "Microsoft.Data.Analysis.DataFrame" =>
            string.Join(Environment.NewLine, e.Cast<object?>().Select(o => o is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : o?.ToString())),
        _ => value.ToString() ?? "",
    };

    /// <summary>An HTML table of a data frame's first rows (the frame may come from the notebook's load context, hence dynamic).</summary>
    private static string DataFrameHtml(object frame)
    {
        const int MaxRows = 12;
        dynamic df = frame;
        var columns = ((IEnumerable)df.Columns).Cast<dynamic>().ToList();
        long rows = df.Rows.Count;
        var html = new StringBuilder("<table><thead><tr>");
        foreach (var column in columns)
        {
            html.Append("<th>").Append(WebUtility.HtmlEncode((string)column.Name)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        for (long r = 0; r < Math.Min(rows, MaxRows); r++)
        {
            html.Append("<tr>");
            foreach (var column in columns)
            {
                object? cell = column[r];
                var text = cell switch
                {
                    null => "",
                    double d => d.ToString("0.######", CultureInfo.InvariantCulture),
                    DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    _ => cell.ToString() ?? "",
                };
                html.Append("<td>").Append(WebUtility.HtmlEncode(text)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{rows} rows × {columns.Count} columns{(rows > MaxRows ? $", first {MaxRows} shown" : "")}</p>");
        return html.ToString();
    }

    private static JsonArray Lines(string text)
    {
        var parts = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var array = new JsonArray();
        for (var i = 0; i < parts.Length; i++)
        {
            var line = i < parts.Length - 1 ? parts[i] + "\n" : parts[i];
            if (line.Length > 0)
            {
                array.Add(line);
            }
        }

        return array;
    }

    [GeneratedRegex("^<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex PngImage();
}

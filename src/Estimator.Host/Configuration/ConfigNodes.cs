using YamlDotNet.Core;

namespace Estimator.Host.Configuration;

/// <summary>
/// Typed reads from a configuration file's YAML node tree: scalars, mappings and lists, required and optional keys,
/// unknown-key checks. A read that fails records a <see cref="ConfigProblem"/> at the node's line and column and
/// returns null, so the section readers go on and every problem in the file is reported at once.
/// </summary>
internal sealed class ConfigNodes(string file)
{
    private readonly List<ConfigProblem> problems = [];

    /// <summary>The configuration file as given; every problem names it.</summary>
    public string File { get; } = file;

    /// <summary>How many problems have been recorded; a reader compares it before and after a section.</summary>
    public int ProblemCount => problems.Count;

    /// <summary>The problems in file order (the walk visits some keys out of order; the sort is stable for problems on the same spot).</summary>
    public IReadOnlyList<ConfigProblem> ProblemsInFileOrder() => [.. problems.OrderBy(p => p.Line).ThenBy(p => p.Column)];

    /// <summary>Records a problem at <paramref name="mark"/>.</summary>
    public void Problem(string path, Mark mark, string message) =>
        problems.Add(new ConfigProblem(File, path, (int)mark.Line, (int)mark.Column, message));

    /// <summary>Records a value that Core rejected by throwing <see cref="ArgumentException"/>, without the exception's parameter suffix.</summary>
    public void Rejected(string path, Mark mark, ArgumentException e) =>
        Problem(path, mark, e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal));

    /// <summary>The value under <paramref name="key"/>, or null when the key is absent.</summary>
    public static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>The value under <paramref name="key"/>; a problem (<c>missing</c>) when the key is absent.</summary>
    public YamlNode? Required(YamlMappingNode map, string key, string path)
    {
        var node = Get(map, key);
        if (node is null)
        {
            Problem($"{path}.{key}", map.Start, "missing");
        }

        return node;
    }

    /// <summary>The node as a mapping whose keys are all among <paramref name="allowedKeys"/> (unknown keys are problems).</summary>
    public YamlMappingNode? Mapping(YamlNode node, string path, string[] allowedKeys)
    {
        if (node is not YamlMappingNode map)
        {
            Problem(path, node.Start, $"expected a mapping with keys {string.Join(", ", allowedKeys)}; got {Describe(node)}");
            return null;
        }

        CheckKeys(map, path, allowedKeys);
        return map;
    }

    /// <summary>Records a problem for every key of <paramref name="map"/> not among <paramref name="allowedKeys"/>.</summary>
    public void CheckKeys(YamlMappingNode map, string path, string[] allowedKeys)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = key is YamlScalarNode scalar ? scalar.Value : null;
            if (name is null || Array.IndexOf(allowedKeys, name) < 0)
            {
                var where = path.Length == 0 ? name ?? "?" : $"{path}.{name}";
                Problem(where, key.Start, $"unknown key '{name}'; expected one of: {string.Join(", ", allowedKeys)}");
            }
        }
    }

    /// <summary>The node as a list; otherwise a problem saying what was <paramref name="expected"/>.</summary>
    public YamlSequenceNode? Sequence(YamlNode node, string path, string expected)
    {
        if (node is YamlSequenceNode sequence)
        {
            return sequence;
        }

        Problem(path, node.Start, expected);
        return null;
    }

    /// <summary>The items of a list with their key paths, <c>path[0]</c>, <c>path[1]</c>, ...</summary>
    public static IEnumerable<(YamlNode Node, string Path)> Items(YamlSequenceNode sequence, string path)
    {
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            yield return (sequence.Children[i], FormattableString.Invariant($"{path}[{i}]"));
        }
    }

    /// <summary>Reads one list item's (non-empty) text; false, with a problem recorded, when it is wrong.</summary>
    public delegate bool ItemReader<T>(string text, string path, YamlNode node, out T value);

    /// <summary>
    /// A list of distinct items, each read by <paramref name="read"/>; null, with problems recorded, when the node is no
    /// list, an item is wrong or listed twice, or the list is empty and <paramref name="whenEmpty"/> says what to give.
    /// </summary>
    public List<T>? DistinctList<T>(YamlNode node, string path, string expected, ItemReader<T> read, string? whenEmpty)
    {
        if (Sequence(node, path, expected) is not { } sequence)
        {
            return null;
        }

        var items = new List<T>();
        var ok = true;
        foreach (var (item, itemPath) in Items(sequence, path))
        {
            if (NonEmptyString(item, itemPath) is not { } text || !read(text, itemPath, item, out var value))
            {
                ok = false;
            }
            else if (items.Contains(value))
            {
                Problem(itemPath, item.Start, $"'{text}' is listed twice");
                ok = false;
            }
            else
            {
                items.Add(value);
            }
        }

        if (ok && whenEmpty is not null && items.Count == 0)
        {
            Problem(path, node.Start, $"the list is empty: {whenEmpty}");
            ok = false;
        }

        return ok ? items : null;
    }

    /// <summary>A list of distinct names (columns, features); see <see cref="DistinctList{T}"/>.</summary>
    public List<string>? DistinctNames(YamlNode node, string path, string expected, string? whenEmpty) =>
        DistinctList(node, path, expected, static (string text, string _, YamlNode _, out string value) =>
        {
            value = text;
            return true;
        }, whenEmpty);

    /// <summary>A trimmed, non-empty, non-null scalar.</summary>
    public string? NonEmptyString(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } text } && !IsNull(node) && text.Trim().Length > 0)
        {
            return text.Trim();
        }

        Problem(path, node.Start, $"expected a non-empty value, got {Describe(node)}");
        return null;
    }

    /// <summary>
    /// The optional <c>name</c> key of a list item (a notification channel, a remediation target): letters, digits,
    /// <c>_</c>, <c>-</c> and <c>.</c> only (a problem otherwise, the name still returned); null when absent or empty.
    /// </summary>
    public string? OptionalName(YamlMappingNode map, string path)
    {
        if (Get(map, "name") is not { } nameNode || NonEmptyString(nameNode, path + ".name") is not { } name)
        {
            return null;
        }

        if (name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')))
        {
            Problem(path + ".name", nameNode.Start, $"'{name}': use letters, digits, '_', '-' and '.' only");
        }

        return name;
    }

    /// <summary>The mapping's required <c>url</c>: an absolute http:// or https:// URL (a webhook, a channel, a remediation target).</summary>
    public Uri? RequiredUrl(YamlMappingNode map, string path)
    {
        if (Required(map, "url", path) is not { } node)
        {
            return null;
        }

        path += ".url";
        if (NonEmptyString(node, path) is not { } text)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return url;
        }

        Problem(path, node.Start, "expected an absolute http:// or https:// URL");
        return null;
    }

    /// <summary>The required key <paramref name="key"/> read as <see cref="Choice{T}"/> reads it; null (a problem recorded) when missing or not one of the choices.</summary>
    public T? RequiredChoice<T>(YamlMappingNode map, string key, string path, string expected, params ReadOnlySpan<(string Word, T Value)> choices)
        where T : struct =>
        Required(map, key, path) is { } node ? Choice(node, path + "." + key, expected, choices) : null;

    /// <summary>
    /// The optional key <paramref name="key"/> read as <see cref="Choice{T}"/> reads it: <paramref name="absent"/> when the
    /// key is missing, null (a problem recorded) when its value is not one of the choices.
    /// </summary>
    public T? OptionalChoice<T>(YamlMappingNode map, string key, string path, T absent, string expected, params ReadOnlySpan<(string Word, T Value)> choices)
        where T : struct =>
        Get(map, key) is { } node ? Choice(node, path + "." + key, expected, choices) : absent;

    /// <summary>
    /// One of a closed set of words, matched without regard to case: <paramref name="choices"/> pairs each word (upper
    /// case) with its value; anything else is a problem saying what was <paramref name="expected"/>.
    /// </summary>
    public T? Choice<T>(YamlNode node, string path, string expected, params ReadOnlySpan<(string Word, T Value)> choices)
        where T : struct
    {
        var text = NonEmptyString(node, path)?.ToUpperInvariant();
        if (text is null)
        {
            return null;
        }

        foreach (var (word, value) in choices)
        {
            if (string.Equals(text, word, StringComparison.Ordinal))
            {
                return value;
            }
        }

        return Invalid<T>(node, path, expected);
    }

    /// <summary>A Core parser's shape: text to value, or a one-sentence error (e.g. <see cref="ChunkingSyntax.TryParsePeriod"/>).</summary>
    public delegate bool TextParser<T>(string? text, out T value, out string? error);

    /// <summary>A scalar parsed by one of Core's <c>TryParse</c> helpers; its error, when it rejects the text, is the problem.</summary>
    public T? Parsed<T>(YamlNode node, string path, TextParser<T> parse)
        where T : struct =>
        NonEmptyString(node, path) is not { } text ? null
        : parse(text, out var value, out var error) ? value
        : Invalid<T>(node, path, error!);

    /// <summary>A finite number.</summary>
    public double? Number(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        Problem(path, node.Start, $"expected a number, got {Describe(node)}");
        return null;
    }

    /// <summary>The number under <paramref name="key"/>: <paramref name="fallback"/> when the key is absent, null when its value is null.</summary>
    public double? OptionalNumber(YamlMappingNode map, string key, string path, double? fallback)
    {
        if (Get(map, key) is not { } node)
        {
            return fallback;
        }

        return IsNull(node) ? null : Number(node, $"{path}.{key}");
    }

    /// <summary>A whole number of 1 or more.</summary>
    public int? PositiveInt(YamlNode node, string path) =>
        WholeNumber(node, path, 1, "expected a positive whole number");

    /// <summary>A whole number of 0 or more.</summary>
    public int? NonNegativeInt(YamlNode node, string path) =>
        WholeNumber(node, path, 0, "expected a whole number, 0 or more");

    /// <summary>A number of seconds in (0, 3600].</summary>
    public TimeSpan? PositiveSeconds(YamlNode node, string path)
    {
        var value = Number(node, path);
        if (value is double v && (v <= 0 || v > 3600))
        {
            Problem(path, node.Start, FormattableString.Invariant($"expected seconds in (0, 3600]; got {v}"));
            return null;
        }

        return value is double s ? TimeSpan.FromSeconds(s) : null;
    }

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public bool? Bool(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } text } && bool.TryParse(text, out var value))
        {
            return value;
        }

        Problem(path, node.Start, $"expected true or false, got {Describe(node)}");
        return null;
    }

    /// <summary>A cron expression (five fields, or six with seconds first), parsed by <see cref="CronSchedule.TryParse"/>.</summary>
    public CronSchedule? Schedule(YamlNode node, string path)
    {
        if (NonEmptyString(node, path) is not { } cron)
        {
            return null;
        }

        if (CronSchedule.TryParse(cron, out var schedule, out var error))
        {
            return schedule;
        }

        Problem(path, node.Start, error);
        return null;
    }

    /// <summary>
    /// A secret given either directly (<paramref name="key"/>) or as the name of an environment variable holding it
    /// (<paramref name="envKey"/>); null when neither key is present.
    /// </summary>
    public string? Secret(YamlMappingNode map, string key, string envKey, string path)
    {
        var direct = Get(map, key);
        var env = Get(map, envKey);
        if (direct is not null && env is not null)
        {
            Problem($"{path}.{key}", direct.Start, $"give {key} or {envKey}, not both");
            return null;
        }

        if (direct is not null)
        {
            return NonEmptyString(direct, $"{path}.{key}");
        }

        if (env is not null && NonEmptyString(env, $"{path}.{envKey}") is { } variable)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrEmpty(value))
            {
                Problem($"{path}.{envKey}", env.Start, $"the environment variable '{variable}' is not set");
                return null;
            }

            return value;
        }

        return null;
    }

    /// <summary>Records that the node is not one of the <paramref name="expected"/> values, and returns null.</summary>
    public T? Invalid<T>(YamlNode node, string path, string expected)
        where T : struct
    {
        Problem(path, node.Start, $"{expected}; got {Describe(node)}");
        return null;
    }

    /// <summary>Whether the node is YAML's null (an empty plain scalar, <c>~</c> or <c>null</c>).</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>The node as a problem message shows it: its quoted value, or what kind of node it is.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s when IsNull(s) => "nothing (null)",
        YamlScalarNode s => $"'{s.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an alias",
    };

    private int? WholeNumber(YamlNode node, string path, int minimum, string expected)
    {
        if (node is YamlScalarNode { Value: { } text } && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum)
        {
            return value;
        }

        Problem(path, node.Start, $"{expected}, got {Describe(node)}");
        return null;
    }
}

using Estimator.Host.Configuration;
using YamlDotNet.RepresentationModel;

namespace Estimator.Host.Tests.Configuration;

/// <summary>Parsing only resolves paths; the disk is looked at by <see cref="ConfigFileChecks"/> afterwards.</summary>
public sealed class ConfigFileChecksTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Check_ReportsNothing_WhenEveryInputExists()
    {
        File.WriteAllText(Path.Combine(temp.Path, "ref.parquet"), "");
        Directory.CreateDirectory(Path.Combine(temp.Path, "in"));
        File.WriteAllText(Path.Combine(temp.Path, "in", "a.csv"), "");
        var (nodes, paths, map) = Read("reference: ref.parquet\nfolder: in\nfile: in/a.csv\npattern: in/*.csv\n");

        Assert.Equal(Path.Combine(temp.Path, "ref.parquet"), paths.File(map.Children[new YamlScalarNode("reference")], "reference"));
        foreach (var key in new[] { "folder", "file", "pattern" })
        {
            Assert.NotNull(paths.Source(map.Children[new YamlScalarNode(key)], key));
        }

        ConfigFileChecks.Check(paths.Referenced, nodes);

        Assert.Equal(0, nodes.ProblemCount);
    }

    [Fact]
    public void Check_ReportsEachMissingInput_AtItsLineAndColumn_WhileParsingReportsNone()
    {
        var (nodes, paths, map) = Read("reference: missing.parquet\nanalysis: gone\ntargets: nowhere/*.csv\n");
        Assert.Equal(Path.Combine(temp.Path, "missing.parquet"), paths.File(map.Children[new YamlScalarNode("reference")], "reference"));
        Assert.Equal(Path.Combine(temp.Path, "gone"), paths.Source(map.Children[new YamlScalarNode("analysis")], "analysis"));
        Assert.Equal(Path.Combine(temp.Path, "nowhere", "*.csv"), paths.Source(map.Children[new YamlScalarNode("targets")], "targets"));
        Assert.Equal(0, nodes.ProblemCount);

        ConfigFileChecks.Check(paths.Referenced, nodes);

        string[] expected =
        [
            $"c.yaml:1:12: reference: file not found: '{Path.Combine(temp.Path, "missing.parquet")}'",
            $"c.yaml:2:11: analysis: not found: '{Path.Combine(temp.Path, "gone")}' is neither a directory nor a file",
            $"c.yaml:3:10: targets: directory not found: '{Path.Combine(temp.Path, "nowhere")}' (the folder the pattern 'nowhere/*.csv' looks in)",
        ];
        Assert.Equal(expected, nodes.ProblemsInFileOrder().Select(p => p.ToString()));
    }

    private (ConfigNodes Nodes, ConfigPaths Paths, YamlMappingNode Map) Read(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var nodes = new ConfigNodes("c.yaml");
        return (nodes, new ConfigPaths(nodes, temp.Path), (YamlMappingNode)stream.Documents[0].RootNode);
    }
}

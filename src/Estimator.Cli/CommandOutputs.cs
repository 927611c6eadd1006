namespace Estimator.Cli;

/// <summary>
/// The files one command was asked to write (<c>--out</c>, <c>--save-fitted</c>, <c>--plot</c>), written all or
/// nothing: every target is checked before the work starts (not an input, not a directory, in a directory that can
/// be written), each is written into a hidden staging directory beside its target, and only when the whole command
/// has succeeded are they moved into place. A failure anywhere leaves no new file and every existing target as it was.
/// </summary>
/// <remarks>
/// The moves at <see cref="Commit"/> are renames within each target's own directory, checked writable beforehand, so
/// the window in which one target is replaced and another not yet is a few system calls. Staging directories are
/// named as <see cref="AtomicFile"/>'s temporaries (<c>.NAME.PID-GUID.tmp</c>), so a later run removes what a killed
/// one left (<see cref="AtomicFile.RemoveStale"/>).
/// </remarks>
internal sealed class CommandOutputs : IDisposable
{
    private readonly List<(string Option, string Full)> _inputs = [];
    private readonly List<Target> _targets = [];
    private readonly List<string> _createdDirectories = [];
    private bool _committed;

    /// <summary>Declares an input file, which no output may overwrite.</summary>
    /// <param name="option">The option that named it (for messages).</param>
    /// <param name="path">The file, or null when the option was not given.</param>
    public CommandOutputs Input(string option, string? path)
    {
        if (path is not null)
        {
            _inputs.Add((option, Resolve(path)));
        }

        return this;
    }

    /// <summary>Declares and checks an output; returns the path to write it to (inside its staging directory), or null for null.</summary>
    /// <param name="option">The option that named it (for messages).</param>
    /// <param name="path">The target, or null when the option was not given.</param>
    /// <exception cref="OptionException">The target is an input, another output, a directory, or cannot be written.</exception>
    public string? Output(string option, string? path)
    {
        if (path is null)
        {
            return null;
        }

        var full = Resolve(path);
        foreach (var (inputOption, input) in _inputs)
        {
            if (string.Equals(input, full, StringComparison.Ordinal))
            {
                throw new OptionException($"{option} '{path}' is the {inputOption} file; writing it would destroy the input: choose another path");
            }
        }

        foreach (var other in _targets)
        {
            if (string.Equals(other.Full, full, StringComparison.Ordinal))
            {
                throw new OptionException($"{option} '{path}' is also the {other.Option} file: give each output its own path");
            }
        }

        if (Directory.Exists(full))
        {
            throw new OptionException($"{option} '{path}' is a directory: give a file path");
        }

        var directory = Path.GetDirectoryName(full)!;
        EnsureDirectory(option, path, directory);
        AtomicFile.RemoveStale(full);
        var staging = AtomicFile.TemporaryPath(full);
        try
        {
            Directory.CreateDirectory(staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OptionException($"{option} '{path}': cannot write in '{directory}' ({Reason(e)})");
        }

        var target = new Target(option, full, staging, Path.Combine(staging, Path.GetFileName(full)));
        _targets.Add(target);
        return target.Staged;
    }

    /// <summary>The staging path of the output <paramref name="option"/> declared, or null when it was not given.</summary>
    /// <param name="option">The option.</param>
    public string? Staged(string option) => _targets.Find(t => t.Option == option)?.Staged;

    /// <summary>
    /// Writes an estimate command's result to <c>--out</c> and, when asked, its chart to <c>--plot</c>
    /// (<paramref name="plotted"/> when the chart shows fewer rows than the file holds), then commits every output.
    /// </summary>
    public void CommitEstimates(CalculatorResult result, CalculatorResult? plotted = null)
    {
        EstimateFileWriter.Write(result, Staged("--out")!);
        if (Staged("--plot") is { } plotPath)
        {
            Plots.PerformancePlot.Render(plotted ?? result).Save(plotPath);
        }

        Commit();
    }

    /// <summary>Moves every staged output into place (outputs the command did not write are skipped).</summary>
    public void Commit()
    {
        foreach (var target in _targets)
        {
            if (File.Exists(target.Staged))
            {
                File.Move(target.Staged, target.Full, overwrite: true);
            }
        }

        _committed = true;
    }

    /// <summary>Removes the staging directories; before <see cref="Commit"/>, also the directories created for the outputs.</summary>
    public void Dispose()
    {
        foreach (var target in _targets)
        {
            AtomicFile.TryDeleteDirectory(target.Staging);
        }

        if (!_committed)
        {
            // Deepest first; a directory something else has meanwhile written into stays.
            for (var i = _createdDirectories.Count - 1; i >= 0; i--)
            {
                try
                {
                    Directory.Delete(_createdDirectories[i]);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Not empty or not ours to remove: leave it.
                }
            }
        }
    }

    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            // An input reached through a symbolic link is still the input.
            return File.Exists(full) && new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target ? target.FullName : full;
        }
        catch (IOException)
        {
            return full;
        }
    }

    // Creates the missing directories above an output (remembered, to remove them again if the command fails), with
    // messages that name the option and the part of the path in the way.
    private void EnsureDirectory(string option, string path, string directory)
    {
        var missing = new Stack<string>();
        var current = directory;
        while (!Directory.Exists(current))
        {
            if (File.Exists(current))
            {
                throw new OptionException($"{option} '{path}': '{current}' is a file, not a directory");
            }

            missing.Push(current);
            current = Path.GetDirectoryName(current);
            if (current is null)
            {
                break;
            }
        }

        while (missing.Count > 0)
        {
            var next = missing.Pop();
            try
            {
                Directory.CreateDirectory(next);
                _createdDirectories.Add(next);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OptionException($"{option} '{path}': cannot create the directory '{next}' ({Reason(e)})");
            }
        }
    }

    // The system's own message names the hidden staging path, which means nothing to the user.
    private static string Reason(Exception e) => e is UnauthorizedAccessException ? "permission denied" : "the file system refused it";

    private sealed record Target(string Option, string Full, string Staging, string Staged);
}

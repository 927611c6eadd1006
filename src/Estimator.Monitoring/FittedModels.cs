using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Estimator.Estimation.Shift;
using Estimator.Metrics;

namespace Estimator.Monitoring;

/// <summary>
/// What a long-lived runner (the job host's) remembers between runs so that a run with nothing new to do stays cheap:
/// the reference file's fingerprint, the fitted model and which model directories it has swept of temporary files.
/// Every entry is checked against the files before it is used, so a change made by another process (a worker sharing
/// the store, an edited reference) is seen.
/// </summary>
internal sealed class FittedModels
{
    private readonly StoreLayout layout;

    private readonly ConcurrentDictionary<(string Reference, string Options), FingerprintEntry> _fingerprints = new();
    private readonly ConcurrentDictionary<string, (string Fingerprint, IFittedCalculator Fitted)> _fitted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Fingerprint, FittedInputs Fitted)> _inputs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _swept = new(StringComparer.Ordinal);

    public FittedModels(StoreLayout layout)
    {
        this.layout = layout;

        // A stored fitted DLE or domain classifier may be read before any of its types has loaded its assembly (and run its registration).
        LearningCalculators.Register();
    }

    /// <summary>
    /// The fingerprint of the model's reference content and options. The reference file is hashed again only when its
    /// length or last write time differs from the last hash this runner took (the check <c>rsync</c> and <c>make</c>
    /// rely on); a file replaced by one of the same length with its old modification time restored is not noticed until the
    /// process restarts.
    /// </summary>
    public string CachedFingerprint(ModelDefinition model) => CachedFingerprint(model.Reference, OptionsKey(model));

    /// <summary>The fingerprint of the model's fitted drift and quality calculators: its reference content and their options.</summary>
    public string CachedInputFingerprint(ModelDefinition model) => CachedFingerprint(model.Reference, model.Inputs.OptionsKey(model.Options.Chunking));

    private string CachedFingerprint(string reference, string options)
    {
        var key = (Path.GetFullPath(reference), options);
        var info = new FileInfo(key.Item1);
        if (!info.Exists)
        {
            throw new EstimatorDataException("file not found", reference);
        }

        // Taken before hashing: a file written during the hash gets a new time, so the next run hashes it again.
        var (length, written) = (info.Length, info.LastWriteTimeUtc);
        if (_fingerprints.TryGetValue(key, out var entry) && entry.Length == length && entry.LastWriteUtc == written)
        {
            return entry.Fingerprint;
        }

        var fingerprint = Fingerprint(reference, options);
        _fingerprints[key] = new FingerprintEntry(length, written, fingerprint);
        return fingerprint;
    }

    /// <summary>The fitted model (binary or multiclass CBPE, or DLE) stored under <paramref name="fingerprint"/>; parsed once per model and fingerprint.</summary>
    public IFittedCalculator Load(string model, string fingerprint) => LoadCached(_fitted, model, fingerprint, CalculatorJson.FromJson);

    public void Remember(string model, string fingerprint, IFittedCalculator fitted) => _fitted[model] = (fingerprint, fitted);

    /// <summary>The fitted drift and quality calculators stored under <paramref name="fingerprint"/>; parsed once per model and fingerprint.</summary>
    public FittedInputs LoadInputs(string model, string fingerprint) => LoadCached(_inputs, model, fingerprint, FittedInputs.FromJson);

    public void RememberInputs(string model, string fingerprint, FittedInputs fitted) => _inputs[model] = (fingerprint, fitted);

    /// <summary>The model's cached entry when it was parsed for <paramref name="fingerprint"/>, else the stored file parsed and cached.</summary>
    private T LoadCached<T>(ConcurrentDictionary<string, (string Fingerprint, T Fitted)> cache, string model, string fingerprint, Func<string, T> parse)
    {
        if (cache.TryGetValue(model, out var cached) && cached.Fingerprint == fingerprint)
        {
            return cached.Fitted;
        }

        var fitted = parse(File.ReadAllText(layout.FittedPath(model, fingerprint)));
        cache[model] = (fingerprint, fitted);
        return fitted;
    }

    /// <summary>
    /// Removes temporary files left by a killed process, once per model for this runner (a new process sweeps at its
    /// first run of each model), and always when <paramref name="force"/> (before a refit rewrites the model's files).
    /// </summary>
    public void SweepLeftovers(string model, bool force)
    {
        if (force || _swept.TryAdd(model, true))
        {
            AtomicFile.RemoveLeftovers(layout.ModelDirectory(model));
        }
    }

    /// <summary>Forgets that the model was swept: its next run sweeps again (the last lock holder died mid-run).</summary>
    public void ForgetSweep(string model) => _swept.TryRemove(model, out _);

    private static string OptionsKey(ModelDefinition model)
    {
        if (model.IsRegression())
        {
            // DLE's error models depend on the metrics' losses, the features, the seed, tuning and boosting; its
            // thresholds and sampling errors on the chunking and thresholds.
            var d = model.ToDleOptions();
            return string.Join(
                "|",
                "regression",
                string.Join(",", d.Metrics.Select(m => m.Name())),
                d.Chunking.ToString(),
                string.Join(",", d.Features),
                string.Join(",", d.Thresholds.OrderBy(t => t.Key).Select(t => $"{t.Key.Name()}={t.Value}")),
                d.Seed,
                d.TuneHyperparameters,
                d.Boosting,
                model.Columns with { Id = null });
        }

        // The options decide the fitted model as much as the data does (metrics, chunking, thresholds, calibration); a
        // shift-aware estimator adds its own (plain CBPE's key stays what it always was, so no plain model refits).
        var o = model.Options;
        var shift = model.IsShiftAware()
            ? $"|shift|{model.Estimator.Name()}|{string.Join(",", model.Features)}|{model.DomainClassifier.Name()}"
            : "";
        return shift + string.Join(
            "|",
            string.Join(",", o.Metrics.Select(m => m.ToName())),
            o.Chunking.ToString(),
            o.Calibration,
            string.Join(",", o.Thresholds.OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}")),
            o.DefaultThreshold.ToString(),
            o.ConfusionMatrixNormalization,
            o.BusinessValueMatrix?.ToString() ?? "",
            o.NormalizeBusinessValuePerPrediction,
            model.Columns with { Id = null });
    }

    private static string Fingerprint(string reference, string options)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            using var stream = new FileStream(reference, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new EstimatorDataException("file not found", reference, innerException: e);
        }

        hash.AppendData(Encoding.UTF8.GetBytes(options));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private sealed record FingerprintEntry(long Length, DateTime LastWriteUtc, string Fingerprint);
}

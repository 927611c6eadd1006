using System.Collections.Concurrent;
using System.Text.Json;
using Parquet;

namespace Estimator.Host.Tests.Postgres;

/// <summary>
/// Watches a store while processes write to it: a background loop lists the store every few milliseconds and reads
/// every visible <c>*.parquet</c> and <c>*.json</c> file (the estimate and rows files <c>chunk-*.parquet</c>, each
/// model's <c>state.json</c>, the fitted models, the alert files) completely, once per version (a version is a path
/// with its last-write time and length). The store's atomic writer writes under another name
/// (<c>.&lt;name&gt;.&lt;guid&gt;.tmp</c>, see <c>AtomicFile</c>) and renames into place, so a file with a final name
/// must always read whole: a Parquet file with its footer and every column of every row group, a JSON file parsing.
/// </summary>
internal sealed class StoreWatcher : IAsyncDisposable
{
    private readonly string store;
    private readonly TimeSpan interval;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<string> failures = new();
    private readonly Dictionary<string, (DateTime Written, long Length)> verified = new(StringComparer.Ordinal);
    private readonly Task loop;
    private int checks;
    private int chunkChecks;
    private int stateChecks;
    private int vanished;
    private int passes;

    private StoreWatcher(string store, TimeSpan interval)
    {
        this.store = store;
        this.interval = interval;
        loop = Task.Run(RunAsync);
    }

    /// <summary>Files read completely (each version of each file once).</summary>
    public int Checks => Volatile.Read(ref checks);

    /// <summary>Of <see cref="Checks"/>, the <c>chunk-*.parquet</c> files (estimates, rows, ledgers).</summary>
    public int ChunkChecks => Volatile.Read(ref chunkChecks);

    /// <summary>Of <see cref="Checks"/>, the <c>state.json</c> files.</summary>
    public int StateChecks => Volatile.Read(ref stateChecks);

    /// <summary>Listings of the whole store made.</summary>
    public int Passes => Volatile.Read(ref passes);

    /// <summary>Files listed and then gone before they could be opened (replaced or removed; not a failure).</summary>
    public int Vanished => Volatile.Read(ref vanished);

    /// <summary>Files seen with a final name that did not read whole, with why.</summary>
    public IReadOnlyCollection<string> Failures => failures;

    public static StoreWatcher Start(string store, TimeSpan? interval = null) => new(store, interval ?? TimeSpan.FromMilliseconds(25));

    /// <summary>Stops the loop (the counts then cover only checks made while it ran alongside the writers).</summary>
    public async Task StopAsync()
    {
        if (!stop.IsCancellationRequested)
        {
            await stop.CancelAsync();
        }

        await loop;
    }

    /// <summary>A one-line summary for assertion messages.</summary>
    public override string ToString() =>
        $"{Checks} file versions read whole ({ChunkChecks} chunk-*.parquet, {StateChecks} state.json) in {Passes} passes, {Vanished} vanished; {failures.Count} failure(s): {string.Join(" | ", failures.Take(5))}";

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Pass();
            try
            {
                await Task.Delay(interval, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Pass()
    {
        if (Directory.Exists(store))
        {
            foreach (var file in List())
            {
                Check(file);
            }
        }

        Interlocked.Increment(ref passes);
    }

    private List<FileInfo> List()
    {
        try
        {
            return new DirectoryInfo(store).EnumerateFiles("*", SearchOption.AllDirectories)
                .Where(f => !f.Name.StartsWith('.') && (f.Extension == ".parquet" || f.Extension == ".json"))
                .ToList();
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            return []; // a directory went away while listing; the next pass lists again
        }
    }

    private void Check(FileInfo file)
    {
        (DateTime, long) version;
        try
        {
            version = (file.LastWriteTimeUtc, file.Length);
        }
        catch (FileNotFoundException)
        {
            Interlocked.Increment(ref vanished);
            return;
        }

        if (verified.TryGetValue(file.FullName, out var seen) && seen == version)
        {
            return;
        }

        // Open once and read the bytes from that handle: a rename over the path after opening does not change what is read.
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.FullName);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            Interlocked.Increment(ref vanished);
            return;
        }

        try
        {
            if (file.Extension == ".json")
            {
                using var _ = JsonDocument.Parse(bytes);
            }
            else
            {
                ReadParquetAsync(bytes).GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failures.Enqueue($"{Path.GetRelativePath(store, file.FullName)} ({bytes.Length} bytes): {e.GetType().Name}: {e.Message}");
            verified[file.FullName] = version;
            return;
        }

        verified[file.FullName] = version;
        Interlocked.Increment(ref checks);
        if (file.Name.StartsWith("chunk-", StringComparison.Ordinal) && file.Extension == ".parquet")
        {
            Interlocked.Increment(ref chunkChecks);
        }
        else if (file.Name == "state.json")
        {
            Interlocked.Increment(ref stateChecks);
        }
    }

    private static async Task ReadParquetAsync(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        if (fields.Length == 0)
        {
            throw new InvalidDataException("no columns");
        }

        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            foreach (var field in fields)
            {
                // Decodes every page of the column chunk: a cut or garbled file fails here (or at its footer above).
                using var column = await group.ReadRawColumnDataBaseAsync(field, CancellationToken.None);
            }
        }
    }
}

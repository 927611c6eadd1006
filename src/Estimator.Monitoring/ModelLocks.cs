namespace Estimator.Monitoring;

/// <summary>
/// The store's locks: one per model (<c>&lt;model&gt;/.lock</c>, held by every run that changes the model's files) and one
/// per work item. Both are exclusive file handles, which the OS drops when a killed holder dies.
/// </summary>
internal sealed class ModelLocks(StoreLayout layout, TimeProvider time)
{
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(2);

    /// <summary>Raised when a lock is taken whose last holder died mid-run (its temporary files need a sweep).</summary>
    public event Action<string>? HolderDied;

    /// <summary>Takes the model's lock, waiting up to two minutes for another holder.</summary>
    /// <exception cref="EstimatorDataException">The model name is not safe.</exception>
    public IDisposable Acquire(string model, CancellationToken cancellationToken)
    {
        if (!ModelNames.IsValid(model))
        {
            throw new EstimatorDataException($"model name '{model}' is not safe: use letters, digits, '_', '-' and '.', not '.' or '..'");
        }

        Directory.CreateDirectory(layout.ModelDirectory(model));
        var stream = Open(layout.LockPath(model), wait: true, cancellationToken)!;
        try
        {
            // The lock file holds a byte while a run is under way and is emptied when it ends: a byte found here means
            // the last holder died mid-run (killed), so its temporary files are swept at this run.
            if (stream.Length > 0)
            {
                HolderDied?.Invoke(model);
            }

            stream.WriteByte(1);
            stream.Flush();
            return new ModelLock(stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens <paramref name="path"/> exclusively; null when another holder has it and <paramref name="wait"/> is false.</summary>
    public FileStream? Open(string path, bool wait, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + LockWait;
        while (true)
        {
            try
            {
                // An exclusive handle is an advisory lock on Unix too; the OS drops it when a killed process dies.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (!wait)
            {
                return null;
            }
            catch (IOException) when (time.GetUtcNow() < deadline)
            {
                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>A held model lock; releasing it marks the run as ended (see <see cref="Acquire"/>).</summary>
    private sealed class ModelLock(FileStream stream) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                stream.SetLength(0);
            }
            finally
            {
                stream.Dispose();
            }
        }
    }
}

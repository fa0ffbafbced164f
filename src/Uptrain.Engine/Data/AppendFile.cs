using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using Uptrain.Diagnostics;

namespace Uptrain.Data;

/// <summary>
/// Adds whole records to the end of a file that other writers, in this process or others, may be
/// appending to at the same time. Each record is written under an exclusive lock, at the end of the file
/// as it is at that moment, and reaches the operating system before the lock is released, so two writers
/// interleave whole records and a crash loses nothing already appended.
/// </summary>
/// <remarks>
/// The lock is advisory: a byte-range lock (<see cref="FileStream.Lock"/>: <c>fcntl</c> on Unix, <c>LockFileEx</c>
/// on Windows) on one byte far beyond any data, so that readers are never blocked, plus a lock per path
/// inside this process, because <c>fcntl</c> locks do not exclude two handles of one process. Where the
/// platform has no byte-range locks (macOS), only writers in this process are excluded. .NET's
/// <see cref="FileMode.Append"/> does not open with <c>O_APPEND</c>, so the end is found under the lock.
/// The file is opened (and created) with the first record: a writer that appends nothing leaves no file.
/// </remarks>
internal sealed class AppendFile : IDisposable
{
    /// <summary>The locked byte: past any real file, so that readers (blocked by locks on Windows) never meet it.</summary>
    private const long LockOffset = long.MaxValue - 1;

    /// <summary>Longest pause between two tries to take the lock (ms).</summary>
    private const int MaxRetryDelayMs = 16;

    /// <summary>How long a writer waits for the lock before giving up; another writer holds it for one record only.</summary>
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(60);

    private static readonly ConcurrentDictionary<string, object> ProcessLocks = new(StringComparer.Ordinal);

    private readonly object _processLock;
    private FileStream? _stream;

    /// <summary>Prepares to append to <paramref name="path"/> (a full path); nothing is opened yet.</summary>
    public AppendFile(string path)
    {
        Path = path;
        _processLock = ProcessLocks.GetOrAdd(DataFiles.CanonicalPath(path), _ => new object());
    }

    /// <summary>The file appended to.</summary>
    public string Path { get; }

    /// <summary>
    /// Appends one record (which ends with a line break) at the end of the file, starting a new line first
    /// if the file does not end with one (another writer stopped half way).
    /// </summary>
    public void Append(ReadOnlySpan<byte> record) => AppendUnless(record, static (_, _) => false);

    /// <summary>
    /// As <see cref="Append"/>, but first, under the same locks, asks <paramref name="present"/> (given the file and its
    /// length at that moment, so that it can read what other writers added) whether the record is there already; then
    /// nothing is written. Returns the file's length after the record, or -1 when it was not written.
    /// </summary>
    public long AppendUnless(ReadOnlySpan<byte> record, Func<SafeFileHandle, long, bool> present)
    {
        var stream = _stream ??= new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        lock (_processLock)
        {
            TakeFileLock(stream);
            try
            {
                var handle = stream.SafeFileHandle;
                var end = RandomAccess.GetLength(handle);
                if (present(handle, end))
                {
                    return -1;
                }

                if (end > 0 && !EndsWithNewLine(handle, end))
                {
                    RandomAccess.Write(handle, "\n"u8, end);
                    end++;
                }
                RandomAccess.Write(handle, record, end);
                return end + record.Length;
            }
            finally
            {
                ReleaseFileLock(stream);
            }
        }
    }

    /// <summary>
    /// Takes <paramref name="record"/> back off the end of the file, under the same locks as <see cref="Append"/>,
    /// if the file still ends with it. Returns false (and changes nothing) when it does not: another writer
    /// appended after it, or the file was changed.
    /// </summary>
    public bool TryRemoveLast(ReadOnlySpan<byte> record)
    {
        if (_stream is not { } stream)
        {
            return false;
        }
        lock (_processLock)
        {
            TakeFileLock(stream);
            try
            {
                var handle = stream.SafeFileHandle;
                var end = RandomAccess.GetLength(handle);
                if (end < record.Length)
                {
                    return false;
                }
                var tail = new byte[record.Length];
                if (RandomAccess.Read(handle, tail, end - record.Length) != record.Length || !record.SequenceEqual(tail))
                {
                    return false;
                }
                stream.SetLength(end - record.Length);
                return true;
            }
            finally
            {
                ReleaseFileLock(stream);
            }
        }
    }

    /// <summary>Writes the appended records through to the disk.</summary>
    public void FlushToDisk() => _stream?.Flush(flushToDisk: true);

    /// <inheritdoc />
    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
    }

    private static bool EndsWithNewLine(SafeFileHandle handle, long length)
    {
        Span<byte> last = stackalloc byte[1];
        return RandomAccess.Read(handle, last, length - 1) == 1 && last[0] == (byte)'\n';
    }

    private void TakeFileLock(FileStream stream)
    {
        if (OperatingSystem.IsMacOS())
        {
            return;
        }
        var watch = Stopwatch.StartNew();
        var delay = 1;
        while (true)
        {
            try
            {
                stream.Lock(LockOffset, 1);
                return;
            }
            catch (IOException) when (watch.Elapsed < LockTimeout)
            {
                // Another writer holds it for one record: wait a moment.
                Thread.Sleep(delay);
                delay = Math.Min(delay * 2, MaxRetryDelayMs);
            }
            catch (IOException ex)
            {
                throw new UptrainException(
                    "FileLocked", ErrorKind.ResourceUnavailable, DataFiles.Format(Messages.FileLocked, Path, LockTimeout.TotalSeconds), Path, ex);
            }
        }
    }

    private static void ReleaseFileLock(FileStream stream)
    {
        if (!OperatingSystem.IsMacOS())
        {
            stream.Unlock(LockOffset, 1);
        }
    }
}

namespace Uptrain.IO;

/// <summary>A file being written through its temporary file: see <see cref="AtomicFile.Create"/>.</summary>
internal sealed class PendingFile : IDisposable
{
    private bool _committed;
    private bool _disposed;

    internal PendingFile(string target, string tempPath, int bufferSize)
    {
        Target = target;
        TempPath = tempPath;
        Stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize);
    }

    /// <summary>The full path of the file this one will replace.</summary>
    internal string Target { get; }

    /// <summary>The full path of the temporary file.</summary>
    internal string TempPath { get; }

    /// <summary>The temporary file's stream, to write the content to.</summary>
    internal FileStream Stream { get; }

    /// <summary>Flushes the content to disk, closes the file and moves it over <see cref="Target"/>.</summary>
    /// <param name="overwrite">False to fail (as <see cref="File.Move(string, string, bool)"/> does) when the target exists.</param>
    internal void Commit(bool overwrite = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            return;
        }
        Stream.Flush(flushToDisk: true);
        Stream.Dispose();
        File.Move(TempPath, Target, overwrite);
        _committed = true;
    }

    /// <summary>Closes the file; without <see cref="Commit"/>, deletes the temporary file and leaves the target as it was.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            Stream.Dispose();
        }
        finally
        {
            if (!_committed)
            {
                File.Delete(TempPath);
            }
        }
    }
}

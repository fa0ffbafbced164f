namespace Uptrain.IO;

/// <summary>
/// Writes a file so that readers see the old file or the whole new one, never part of one: the bytes go to a hidden
/// temporary file beside the target (<see cref="TempFiles"/>), reach the disk, and only then is the temporary file moved
/// over the target. A failure deletes the temporary file and leaves the target as it was. Before writing, the temporary
/// files that killed writers left beside the target are removed.
/// </summary>
internal static class AtomicFile
{
    /// <summary>The stream buffer when the caller names none (the <see cref="FileStream"/> default).</summary>
    internal const int DefaultBufferSize = 4096;

    /// <summary>Writes <paramref name="target"/> with what <paramref name="write"/> puts into the stream it is given.</summary>
    /// <param name="target">The file to write; its folder must exist.</param>
    /// <param name="write">Writes the content; the stream is flushed to disk and closed after it returns.</param>
    /// <param name="overwrite">False to fail (as <see cref="File.Move(string, string, bool)"/> does) when the target exists by the time the file is moved.</param>
    /// <param name="bufferSize">The stream's buffer in bytes.</param>
    internal static void Write(string target, Action<Stream> write, bool overwrite = true, int bufferSize = DefaultBufferSize)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var file = Create(target, bufferSize);
        write(file.Stream);
        file.Commit(overwrite);
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="target"/>.</summary>
    internal static void WriteAllBytes(string target, ReadOnlyMemory<byte> bytes, bool overwrite = true) =>
        Write(target, stream => stream.Write(bytes.Span), overwrite);

    /// <summary>
    /// Opens a temporary file for <paramref name="target"/> that is written for as long as the caller needs and moved into
    /// place by <see cref="PendingFile.Commit"/>; disposing it without committing deletes it.
    /// </summary>
    internal static PendingFile Create(string target, int bufferSize = DefaultBufferSize)
    {
        ArgumentNullException.ThrowIfNull(target);
        var full = Path.GetFullPath(target);
        TempFiles.RemoveStale(full);
        return new PendingFile(full, TempFiles.NameFor(full), bufferSize);
    }
}

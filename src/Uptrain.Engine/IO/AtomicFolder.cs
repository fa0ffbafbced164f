namespace Uptrain.IO;

/// <summary>
/// Writes a folder so that the target holds the old folder or the whole new one, never part of one and, but for the
/// moment between two renames, never nothing: the files go to a hidden temporary folder beside the target
/// (<see cref="TempFiles"/>); to replace an old target it is first moved aside, the new folder moved in, and only then
/// is the old one deleted. When the new folder cannot be moved in, the old one is moved back; a writer killed between
/// the two renames leaves the old folder aside, and the next writer of the target moves it back
/// (<see cref="TempFiles.RemoveStale"/>).
/// </summary>
internal static class AtomicFolder
{
    /// <summary>
    /// Creates a new, empty temporary folder for <paramref name="target"/> (a full path) after removing the leftovers of
    /// dead writers of it (and moving back an old copy such a writer left aside); returns its path.
    /// </summary>
    internal static string CreateTemp(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        TempFiles.RemoveStale(target);
        var temp = TempFiles.NameFor(target);
        Directory.CreateDirectory(temp);
        return temp;
    }

    /// <summary>
    /// Moves the folder <paramref name="temp"/> to <paramref name="target"/> (a full path), replacing a folder or file
    /// that is there.
    /// </summary>
    /// <param name="temp">The finished folder, from <see cref="CreateTemp"/>.</param>
    /// <param name="target">Where it goes.</param>
    /// <param name="afterMoveAside">For tests: runs after the old target is moved aside and before the new folder moves in.</param>
    internal static void MoveIntoPlace(string temp, string target, Action? afterMoveAside = null)
    {
        ArgumentNullException.ThrowIfNull(temp);
        ArgumentNullException.ThrowIfNull(target);
        if (!Directory.Exists(target) && !File.Exists(target))
        {
            Directory.Move(temp, target);
            return;
        }

        var aside = TempFiles.AsideNameFor(target);
        // The aside copy is judged stale by its time, like every temporary: it must not look older than its writer.
        if (Directory.Exists(target))
        {
            Directory.SetLastWriteTimeUtc(target, DateTime.UtcNow);
        }
        else
        {
            File.SetLastWriteTimeUtc(target, DateTime.UtcNow);
        }

        TempFiles.Move(target, aside);
        try
        {
            afterMoveAside?.Invoke();
            Directory.Move(temp, target);
        }
        catch
        {
            try
            {
                TempFiles.Move(aside, target);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The first error matters more; the next writer of the target moves the old copy back.
            }

            throw;
        }

        TempFiles.TryDelete(Directory.Exists(aside) ? new DirectoryInfo(aside) : new FileInfo(aside));
    }
}

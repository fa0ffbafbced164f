using Uptrain.Diagnostics;
using Uptrain.IO;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Models;

/// <summary>
/// Writes a model folder atomically, for any kind of model: the files go into a hidden folder beside the target, the
/// card with the checksum of every file is written last, and only then does the folder take the target's place, so
/// that a failure or a stop leaves either the old folder or the whole new one, never half of one.
/// </summary>
public static class ModelFolderWriter
{
    /// <summary>Refuses an existing <paramref name="folder"/> (or file of that name) unless <paramref name="force"/>.</summary>
    /// <exception cref="UptrainException"><c>OutputExists</c>.</exception>
    public static void CheckTarget(string folder, bool force)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if ((Directory.Exists(folder) || File.Exists(folder)) && !force)
        {
            throw new UptrainException("OutputExists", ErrorKind.ResourceExists, Format(Messages.TrainingOutputExists, folder), folder);
        }
    }

    /// <summary>
    /// Writes the model into <paramref name="target"/>: <paramref name="writeFiles"/> puts the weights and tokenizer
    /// files into the folder it is given, then the card is sealed (<see cref="ModelFolder.Seal"/>) and the folder moved
    /// into place (<see cref="AtomicFolder"/>: an old model is moved aside, not deleted, until the new one is in).
    /// </summary>
    /// <exception cref="UptrainException"><c>OutputExists</c>: the target appeared meanwhile and <paramref name="force"/> is not set.</exception>
    public static void Write(string target, bool force, ModelCard card, Action<string> writeFiles) =>
        Write(target, force, card, writeFiles, afterMoveAside: null);

    /// <summary>As the public overload; <paramref name="afterMoveAside"/> lets a test fail between moving the old model aside and moving the new one in.</summary>
    internal static void Write(string target, bool force, ModelCard card, Action<string> writeFiles, Action? afterMoveAside)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(writeFiles);
        target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        var parent = Path.GetDirectoryName(target) ?? Directory.GetCurrentDirectory();
        Directory.CreateDirectory(parent);
        var temp = AtomicFolder.CreateTemp(target);
        try
        {
            writeFiles(temp);
            ModelFolder.Seal(temp, card);
            CheckTarget(target, force);
            AtomicFolder.MoveIntoPlace(temp, target, afterMoveAside);
        }
        catch
        {
            try
            {
                Directory.Delete(temp, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the original error matters more.
            }

            throw;
        }
    }
}

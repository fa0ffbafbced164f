using Uptrain.Diagnostics;

namespace Uptrain.Data;

/// <summary>
/// Tells whether an example was read from the file being written (its <see cref="TextcatExample.Source"/>
/// is <c>file:line</c>): writing it back would repeat the file without end (append) or replace the input
/// while it is read (overwrite). Files compare by full path with symbolic links resolved and, on Linux, by
/// mount and inode, so that a hard link to the input is caught too.
/// </summary>
internal sealed class SourceCheck
{
    private readonly string _target;
    private readonly string _canonicalTarget;
    private readonly string? _targetIdentity;

    // Examples arrive file by file: the last source file seen, and whether it was the target.
    private string? _lastFile;
    private bool _lastWasTarget;

    /// <summary>Checks examples against <paramref name="target"/> (a full path).</summary>
    public SourceCheck(string target)
    {
        _target = target;
        _canonicalTarget = DataFiles.CanonicalPath(target);
        _targetIdentity = DataFiles.FileIdentity(target);
    }

    /// <summary>True when <paramref name="first"/> and <paramref name="second"/> name the same file.</summary>
    public static bool SameFile(string first, string second) =>
        string.Equals(DataFiles.CanonicalPath(first), DataFiles.CanonicalPath(second), DataFiles.PathComparison);

    /// <summary>Throws <c>TargetIsInput</c> when <paramref name="source"/> (a <c>file:line</c>) is a line of the target.</summary>
    /// <exception cref="UptrainException"><c>TargetIsInput</c> (InvalidOperation).</exception>
    public void ThrowIfTarget(string? source)
    {
        if (source is null || DataFiles.LocationFile(source) is not { } file)
        {
            return;
        }
        if (!string.Equals(file, _lastFile, StringComparison.Ordinal))
        {
            _lastFile = file;
            _lastWasTarget = IsTarget(file);
        }
        if (_lastWasTarget)
        {
            throw new UptrainException(
                "TargetIsInput", ErrorKind.InvalidOperation, DataFiles.Format(Messages.TargetIsInput, _target, source), _target);
        }
    }

    private bool IsTarget(string file)
    {
        try
        {
            return string.Equals(DataFiles.CanonicalPath(file), _canonicalTarget, DataFiles.PathComparison)
                || (_targetIdentity is not null && string.Equals(DataFiles.FileIdentity(file), _targetIdentity, StringComparison.Ordinal));
        }
        catch (ArgumentException)
        {
            // A Source that only looks like file:line (from a piped object) names no file, so not the target.
            return false;
        }
    }
}

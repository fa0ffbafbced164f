namespace Uptrain.Diagnostics;

/// <summary>What went wrong, in PowerShell's ErrorCategory terms (the names match so hosts can map them 1:1).</summary>
public enum ErrorKind
{
    /// <summary>Nothing more specific applies.</summary>
    NotSpecified,
    /// <summary>The record's content is not what the format allows.</summary>
    InvalidData,
    /// <summary>The record could not be parsed at all (not JSON, broken CSV).</summary>
    ParserError,
    /// <summary>A parameter value is wrong.</summary>
    InvalidArgument,
    /// <summary>A file, model or column does not exist.</summary>
    ObjectNotFound,
    /// <summary>Something exists that would be overwritten.</summary>
    ResourceExists,
    /// <summary>The operation cannot be done in the current state.</summary>
    InvalidOperation,
    /// <summary>Reading or writing failed.</summary>
    ReadError,
    /// <summary>Writing failed.</summary>
    WriteError,
    /// <summary>The device or resource is not available.</summary>
    ResourceUnavailable,
    /// <summary>The operation was cancelled.</summary>
    OperationStopped,
    /// <summary>A signature or checksum does not hold.</summary>
    SecurityError,
}

/// <summary>A non-terminating problem with one record: an id, a category, a message and the offending object.</summary>
/// <param name="ErrorId">PascalCase id, stable across releases (it becomes part of FullyQualifiedErrorId).</param>
/// <param name="Kind">The category.</param>
/// <param name="Message">What is wrong and, where it helps, what to do.</param>
/// <param name="Target">The offending object: for a file record, its <c>file:line</c>.</param>
public sealed record RecordError(string ErrorId, ErrorKind Kind, string Message, object? Target);

/// <summary>
/// A terminating problem (bad configuration, missing file, unusable device) that stops the whole
/// operation. Hosts turn it into their own terminating error without a stack trace.
/// </summary>
public sealed class UptrainException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UptrainException(string errorId, ErrorKind kind, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    /// <summary>PascalCase id.</summary>
    public string ErrorId { get; }

    /// <summary>The category.</summary>
    public ErrorKind Kind { get; }

    /// <summary>The offending object, if any.</summary>
    public object? Target { get; }
}

namespace Uptrain.Uptraining.Review;

/// <summary>
/// The terminal as the reviewer sees it: keys or lines in, text out. The PowerShell cmdlet implements it over
/// the host's user interface; tests implement it with scripted keys and a recorded screen.
/// </summary>
public interface IReviewConsole
{
    /// <summary>True when single key presses can be read (<see cref="ReadKey"/>); false falls back to line input.</summary>
    bool CanReadKeys { get; }

    /// <summary>True when the terminal understands ANSI (VT) sequences, so the screen is cleared before each task.</summary>
    bool SupportsAnsi { get; }

    /// <summary>The window's width in columns.</summary>
    int Width { get; }

    /// <summary>The window's height in rows.</summary>
    int Height { get; }

    /// <summary>Waits for the next key press, or returns null when the input has ended.</summary>
    /// <exception cref="OperationCanceledException">The user stopped the command (Ctrl+C).</exception>
    ConsoleKeyInfo? ReadKey(CancellationToken cancellationToken);

    /// <summary>Reads one line, or returns null when the input has ended.</summary>
    string? ReadLine(CancellationToken cancellationToken);

    /// <summary>Writes text as it is (line breaks included).</summary>
    void Write(string text);
}

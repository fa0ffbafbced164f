using System.Text;
using Uptrain.Uptraining.Review;

namespace Uptrain.Tests.Uptraining.Review;

/// <summary>A console that plays scripted keys (or lines) and records what was written; the input ends when the script does.</summary>
public sealed class ScriptedConsole : IReviewConsole
{
    private readonly Queue<ConsoleKeyInfo> _keys = new();
    private readonly Queue<string> _lines = new();
    private readonly StringBuilder _written = new();

    public bool CanReadKeys { get; init; } = true;

    public bool SupportsAnsi { get; init; } = true;

    public int Width { get; init; } = 80;

    public int Height { get; init; } = 24;

    /// <summary>True to act as if the user pressed Ctrl+C when the keys run out.</summary>
    public bool CancelAtEnd { get; init; }

    public string Written => _written.ToString();

    /// <summary>The last screen drawn (everything after the last clear-screen sequence).</summary>
    public string LastScreen
    {
        get
        {
            var text = Written;
            var at = text.LastIndexOf("\u001b[2J", StringComparison.Ordinal);
            return at < 0 ? text : text[at..];
        }
    }

    /// <summary>Queues keys: characters as typed, "\r" for Enter, "\u001b" for Escape.</summary>
    public ScriptedConsole Type(string keys)
    {
        foreach (var c in keys)
        {
            var key = c switch
            {
                '\r' => ConsoleKey.Enter,
                ' ' => ConsoleKey.Spacebar,
                '\u001b' => ConsoleKey.Escape,
                _ when char.IsAsciiDigit(c) => ConsoleKey.D0 + (c - '0'),
                _ when char.IsAsciiLetter(c) => ConsoleKey.A + (char.ToUpperInvariant(c) - 'A'),
                _ => ConsoleKey.Oem1,
            };
            _keys.Enqueue(new ConsoleKeyInfo(c, key, false, false, false));
        }
        return this;
    }

    public ScriptedConsole Lines(params string[] lines)
    {
        foreach (var line in lines)
        {
            _lines.Enqueue(line);
        }
        return this;
    }

    public ConsoleKeyInfo? ReadKey(CancellationToken cancellationToken) =>
        _keys.Count > 0 ? _keys.Dequeue() : CancelAtEnd ? throw new OperationCanceledException() : null;

    public string? ReadLine(CancellationToken cancellationToken) => _lines.Count > 0 ? _lines.Dequeue() : null;

    public void Write(string text) => _written.Append(text);
}

/// <summary>A clock that moves on by a fixed step each time it is read.</summary>
public sealed class SteppingClock(TimeSpan step) : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        var now = _now;
        _now += step;
        return now;
    }
}

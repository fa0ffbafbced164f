using System.Management.Automation.Host;
using Uptrain.Uptraining.Review;

namespace Uptrain.Hosting;

/// <summary>
/// The reviewer's console over a PowerShell host: keys through <see cref="PSHostRawUserInterface"/> where the host
/// reads them (a terminal whose input is not redirected), else lines through the host's ReadLine; ANSI redraws
/// where the host supports virtual-terminal sequences. Pipeline thread only.
/// </summary>
internal sealed class HostReviewConsole : IReviewConsole
{
    // How often a key is looked for while waiting: short enough to feel immediate, and it lets Ctrl+C stop the wait.
    private static readonly TimeSpan KeyPollInterval = TimeSpan.FromMilliseconds(20);

    // The window assumed where the host cannot tell its size.
    private const int DefaultWidth = 80;
    private const int DefaultHeight = 24;

    private readonly PSHostUserInterface _ui;
    private readonly PSHostRawUserInterface? _raw;

    public HostReviewConsole(PSHost host)
    {
        _ui = host.UI;
        _raw = host.UI.RawUI;
        // Hosts without keys (ISE-like, remoting, hosted runspaces) throw on KeyAvailable.
        CanReadKeys = !Console.IsInputRedirected && _raw is not null && Try(() =>
        {
            _ = _raw.KeyAvailable;
            return true;
        }, false);
        SupportsAnsi = CanReadKeys && !Console.IsOutputRedirected && _ui.SupportsVirtualTerminal;
    }

    /// <summary>
    /// False for a host that has no user interface at all (a bare runspace: its raw UI reports that it is not
    /// interactive, and what is written there is dropped). Hosts that only lack some parts can still review.
    /// </summary>
    public static bool CanInteract(PSHost host)
    {
        try
        {
            _ = host.UI?.RawUI?.WindowSize;
            return host.UI is not null;
        }
        catch (HostException)
        {
            return false;
        }
        catch (Exception ex) when (ex is NotImplementedException or NotSupportedException or System.Management.Automation.PSNotImplementedException)
        {
            return true;
        }
    }

    public bool CanReadKeys { get; }

    public bool SupportsAnsi { get; }

    public int Width => WindowSize().Width is > 0 and var width ? width : DefaultWidth;

    public int Height => WindowSize().Height is > 0 and var height ? height : DefaultHeight;

    public ConsoleKeyInfo? ReadKey(CancellationToken cancellationToken)
    {
        var raw = _raw!;
        while (!raw.KeyAvailable)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Thread.Sleep(KeyPollInterval);
        }
        var key = raw.ReadKey(ReadKeyOptions.NoEcho | ReadKeyOptions.IncludeKeyDown);
        var state = key.ControlKeyState;
        return new ConsoleKeyInfo(
            key.Character,
            (ConsoleKey)key.VirtualKeyCode,
            state.HasFlag(ControlKeyStates.ShiftPressed),
            state.HasFlag(ControlKeyStates.LeftAltPressed) || state.HasFlag(ControlKeyStates.RightAltPressed),
            state.HasFlag(ControlKeyStates.LeftCtrlPressed) || state.HasFlag(ControlKeyStates.RightCtrlPressed));
    }

    public string? ReadLine(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!Console.IsInputRedirected)
        {
            return _ui.ReadLine();
        }
        // Redirected input is read straight from standard input, where its end can be seen (null), and echoed so
        // that a transcript shows what was answered.
        var line = Console.In.ReadLine();
        _ui.WriteLine(line ?? string.Empty);
        return line;
    }

    public void Write(string text) => _ui.Write(text);

    private Size WindowSize() => _raw is null ? new Size(DefaultWidth, DefaultHeight) : Try(() => _raw.WindowSize, new Size(DefaultWidth, DefaultHeight));

    // Hosts without a console (ISE-like, remoting, hosted runspaces) throw where they have no answer.
    private static T Try<T>(Func<T> read, T fallback)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is HostException or NotImplementedException or NotSupportedException or InvalidOperationException or IOException or System.Management.Automation.PSNotImplementedException)
        {
            return fallback;
        }
    }
}

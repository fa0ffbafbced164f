using System.Diagnostics;
using Uptrain.IO;
using Uptrain.Tests.Data;

namespace Uptrain.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] Temporaries() => Directory.GetFiles(_dir.Path, ".*.tmp");

    [Fact]
    public void WriteReplacesTheTargetAndLeavesNoTemporaryFile()
    {
        var target = _dir.Write("out.bin", "old");

        AtomicFile.Write(target, stream => stream.Write("new"u8));

        Assert.Equal("new", File.ReadAllText(target));
        Assert.Empty(Temporaries());
    }

    [Fact]
    public void AFailingWriteLeavesTheOldFileAndNoTemporaryFile()
    {
        var target = _dir.Write("out.bin", "old");

        var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(target, stream =>
        {
            stream.Write("half"u8);
            Assert.Single(Temporaries());
            throw new InvalidOperationException("stop");
        }));

        Assert.Equal("stop", error.Message);
        Assert.Equal("old", File.ReadAllText(target));
        Assert.Empty(Temporaries());
    }

    [Fact]
    public void WithoutOverwriteAnExistingTargetFailsAndStays()
    {
        var target = _dir.Write("out.bin", "old");

        Assert.Throws<IOException>(() => AtomicFile.WriteAllBytes(target, "new"u8.ToArray(), overwrite: false));

        Assert.Equal("old", File.ReadAllText(target));
        Assert.Empty(Temporaries());
    }

    [Fact]
    public void APendingFileIsInvisibleUntilCommittedAndGoneWhenDropped()
    {
        var target = _dir.File("out.bin");
        using (var pending = AtomicFile.Create(target))
        {
            pending.Stream.Write("kept"u8);
            Assert.False(File.Exists(target));
            Assert.StartsWith($".out.bin.{Environment.ProcessId}-", Path.GetFileName(pending.TempPath), StringComparison.Ordinal);
            pending.Commit();
        }
        Assert.Equal("kept", File.ReadAllText(target));

        using (var dropped = AtomicFile.Create(target))
        {
            dropped.Stream.Write("dropped"u8);
        }
        Assert.Equal("kept", File.ReadAllText(target));
        Assert.Empty(Temporaries());
    }

    [Fact]
    public void AWriteRemovesTheTemporaryFilesOfDeadWritersOnly()
    {
        var target = _dir.File("out.bin");
        var stale = _dir.Write($".out.bin.{DeadProcessId()}-0badcafe.tmp", "half");
        var live = _dir.Write($".out.bin.{Environment.ProcessId}-0a0a0a0a.tmp", "busy");

        AtomicFile.WriteAllBytes(target, "new"u8.ToArray());

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));
    }

    // The id of a process that has exited and been reaped, so no live writer can own it.
    internal static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}

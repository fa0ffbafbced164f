using System.Diagnostics;
using Uptrain.IO;
using Uptrain.Tests.Data;

namespace Uptrain.Tests.IO;

public sealed class TempFilesTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [ProcFsFact]
    public void TheTemporaryFileOfAZombieWriterIsStale()
    {
        // The shell starts a child that outlives it, prints its id and becomes `sleep`, which never reaps children: once
        // the child exits it stays a zombie. (A child that exits before the exec may be reaped by the shell.)
        using var parent = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "sleep 1 & echo $!; exec sleep 30"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        })!;
        try
        {
            var zombie = int.Parse(parent.StandardOutput.ReadLine()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(WaitForZombie(zombie), $"process {zombie} did not become a zombie");
            var target = _dir.File("out.bin");
            var temp = _dir.Write($".out.bin.{zombie}-0badcafe.tmp", "half");

            AtomicFile.WriteAllBytes(target, "new"u8.ToArray());

            Assert.False(File.Exists(temp));
        }
        finally
        {
            parent.Kill();
            parent.WaitForExit();
        }
    }

    private static bool WaitForZombie(int pid)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{pid}/stat");
            }
            catch (IOException)
            {
                return false;
            }
            if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
            {
                return true;
            }
            Thread.Sleep(20);
        }
        return false;
    }
}

using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Tests.Data;
using Uptrain.Tests.IO;

namespace Uptrain.Tests.Models;

/// <summary>Replacing a model folder leaves the old model or the new one at every step, never none.</summary>
public sealed class ModelFolderWriterTests : IDisposable
{
    private const string Weights = "weights.bin";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Target => _dir.File("model");

    private string[] Hidden() => Directory.GetFileSystemEntries(_dir.Path, ".*");

    private static ModelCard Card() => new() { Kind = "student", Labels = ["a", "b"], Exclusive = true };

    private static Action<string> Files(string weights) => folder => File.WriteAllText(Path.Combine(folder, Weights), weights);

    private string WeightsInTarget() => File.ReadAllText(Path.Combine(Target, Weights));

    [Fact]
    public void ForceReplacesTheOldModelAndLeavesNothingBeside()
    {
        ModelFolderWriter.Write(Target, force: false, Card(), Files("old"));
        File.WriteAllText(Path.Combine(Target, "extra.txt"), "of the old model only");

        ModelFolderWriter.Write(Target, force: true, Card(), Files("new"));

        Assert.Equal("new", WeightsInTarget());
        Assert.False(File.Exists(Path.Combine(Target, "extra.txt")));
        Assert.True(ModelFolder.IsModelFolder(Target));
        Assert.Empty(Hidden());
    }

    [Fact]
    public void AFailureBetweenMovingTheOldModelAsideAndTheNewOneInKeepsTheOldModel()
    {
        ModelFolderWriter.Write(Target, force: false, Card(), Files("old"));
        var atTheMoment = new List<bool>();

        var error = Assert.Throws<IOException>(() => ModelFolderWriter.Write(Target, force: true, Card(), Files("new"), () =>
        {
            atTheMoment.Add(Directory.Exists(Target));
            Assert.Single(Directory.GetDirectories(_dir.Path, ".model.*.old"));
            throw new IOException("disk gone");
        }));

        Assert.Equal("disk gone", error.Message);
        Assert.Equal([false], atTheMoment);
        Assert.Equal("old", WeightsInTarget());
        Assert.Empty(Hidden());
    }

    [Fact]
    public void TheNextWriteMovesBackAnOldModelThatACrashedWriterLeftAside()
    {
        // A writer killed between its two renames: the old model aside, its sealed new one in its temporary folder.
        var dead = AtomicFileTests.DeadProcessId();
        ModelFolderWriter.Write(Target, force: false, Card(), Files("old"));
        Directory.Move(Target, _dir.File($".model.{dead}-0badcafe.old"));
        Directory.CreateDirectory(_dir.File($".model.{dead}-0a0a0a0a.tmp"));
        File.WriteAllText(_dir.File($".model.{dead}-0a0a0a0a.tmp/{Weights}"), "half");

        var refused = Assert.Throws<UptrainException>(() => ModelFolderWriter.Write(Target, force: false, Card(), Files("new")));

        Assert.Equal("OutputExists", refused.ErrorId);
        Assert.Equal("old", WeightsInTarget());
        Assert.Empty(Hidden());
    }

    [Fact]
    public void TheNextWriteDeletesAnAsideCopyOnceTheNewModelIsIn()
    {
        // A writer killed after moving its new model in, before deleting the old one.
        ModelFolderWriter.Write(Target, force: false, Card(), Files("current"));
        var aside = _dir.File($".model.{AtomicFileTests.DeadProcessId()}-0badcafe.old");
        Directory.CreateDirectory(aside);
        File.WriteAllText(Path.Combine(aside, Weights), "replaced");

        ModelFolderWriter.Write(Target, force: true, Card(), Files("new"));

        Assert.Equal("new", WeightsInTarget());
        Assert.Empty(Hidden());
    }

    [Fact]
    public void TheAsideCopyOfALiveWriterIsLeftAlone()
    {
        ModelFolderWriter.Write(Target, force: false, Card(), Files("current"));
        var aside = _dir.File($".model.{Environment.ProcessId}-0a0a0a0a.old");
        Directory.CreateDirectory(aside);

        ModelFolderWriter.Write(Target, force: true, Card(), Files("new"));

        Assert.True(Directory.Exists(aside));
    }
}

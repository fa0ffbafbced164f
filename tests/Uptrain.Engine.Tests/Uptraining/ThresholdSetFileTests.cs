using Uptrain.Diagnostics;
using Uptrain.Tests.Data;
using Uptrain.Uptraining;

namespace Uptrain.Tests.Uptraining;

public sealed class ThresholdSetFileTests
{
    private static ThresholdSet Sample() => new(
        exclusive: false,
        [
            new LabelThreshold("spam", 0.83, 0.07)
            {
                Precision = 0.97, PrecisionLowerBound = 0.93, NegativePrecision = 0.99, NegativePrecisionLowerBound = 0.98,
                Support = 120, NegativeSupport = 150, Examples = 300, TargetReached = true,
                AcceptShare = 0.4, ReviewShare = 0.1, SkipShare = 0.5,
            },
            new LabelThreshold("ham", 1, 0) { Examples = 300, ReviewShare = 1 },
        ])
    {
        TargetPrecision = 0.95, TargetNegativePrecision = 0.9, MinSupport = 20, Examples = 300,
        AcceptShare = 0.3, ReviewShare = 0.6, SkipShare = 0.1, Model = "teacher",
    };

    [Fact]
    public void ASetReadsBackAsWritten()
    {
        using var dir = new TempDir();
        var path = dir.File("thresholds.json");

        ThresholdSetFile.Write(Sample(), path, overwrite: false);
        var back = ThresholdSetFile.Read(path);

        Assert.False(back.Exclusive);
        Assert.True(back.PerLabel);
        Assert.Equal((0.95, 0.9, 20, 300, "teacher"), (back.TargetPrecision, back.TargetNegativePrecision, back.MinSupport, back.Examples, back.Model));
        Assert.Equal((0.3, 0.6, 0.1), (back.AcceptShare, back.ReviewShare, back.SkipShare));
        var spam = back.For("spam")!;
        Assert.Equal((0.83, 0.07, 0.97, 0.93, 0.99, 0.98), (spam.High, spam.Low, spam.Precision, spam.PrecisionLowerBound, spam.NegativePrecision, spam.NegativePrecisionLowerBound));
        Assert.Equal((120, 150, 300, true), (spam.Support, spam.NegativeSupport, spam.Examples, spam.TargetReached));
        var ham = back.For("ham")!;
        Assert.True(double.IsNaN(ham.Precision));
        Assert.False(ham.TargetReached);
        Assert.Null(back.For("other"));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void AWriteRemovesTheTemporaryFilesThatKilledWritersLeftBesideTheTarget()
    {
        // Find-UptrainThreshold -Path never removed them (issue 19, 8); the one temp-name scheme of every writer does.
        using var dir = new TempDir();
        var path = dir.File("thresholds.json");
        using var gone = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!;
        gone.WaitForExit();
        var stale = dir.Write($".thresholds.json.{gone.Id}-0badcafe.tmp", "{ half");

        ThresholdSetFile.Write(Sample(), path, overwrite: false);

        Assert.False(File.Exists(stale));
        Assert.Equal(["thresholds.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void ASharedPairAppliesToEveryLabel()
    {
        var set = new ThresholdSet(true, [new LabelThreshold(ThresholdSet.SharedLabel, 0.9, 0)]);

        Assert.False(set.PerLabel);
        Assert.Equal(0.9, set.For("anything")!.High);
    }

    [Theory]
    [InlineData("{\"format\":\"other\"}", "format")]
    [InlineData("{\"format\":\"uptrain-thresholds\",\"version\":2}", "version 2")]
    [InlineData("not json", "")]
    [InlineData("{\"format\":\"uptrain-thresholds\",\"version\":1,\"exclusive\":true,\"labels\":[{\"label\":\"a\",\"high\":0.2,\"low\":0.5}]}", "High 0.2 and Low 0.5")]
    public void AFileThatIsNotAThresholdSetIsRefusedWithItsReason(string content, string reason)
    {
        using var dir = new TempDir();
        var path = dir.File("thresholds.json");
        File.WriteAllText(path, content);

        var e = Assert.Throws<UptrainException>(() => ThresholdSetFile.Read(path));

        Assert.Equal("InvalidThresholdFile", e.ErrorId);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileIsNotFound()
    {
        using var dir = new TempDir();

        var e = Assert.Throws<UptrainException>(() => ThresholdSetFile.Read(dir.File("none.json")));

        Assert.Equal(("ThresholdFileNotFound", ErrorKind.ObjectNotFound), (e.ErrorId, e.Kind));
    }
}

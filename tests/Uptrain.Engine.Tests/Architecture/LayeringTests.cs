using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Uptrain.Tests.Architecture;

/// <summary>
/// The engine's folders form layers (docs/architecture.md): a folder uses only folders below it, never one beside it or
/// above. Read from the source: every type the engine declares is mapped to its folder, and every file's code (comments
/// and strings left out) is searched for the names of types from other folders.
/// </summary>
public sealed partial class LayeringTests(ITestOutputHelper log)
{
    /// <summary>Each top-level folder of src/Uptrain.Engine and its layer, bottom (0) up; folders of one layer are siblings.</summary>
    private static readonly Dictionary<string, int> Layers = new(StringComparer.Ordinal)
    {
        ["Diagnostics"] = 0,
        ["IO"] = 0,
        ["Text"] = 1,
        ["Models"] = 2,
        ["Data"] = 3,
        ["Metrics"] = 3,
        ["Training"] = 4,
        ["Inference"] = 4,
        ["Teacher"] = 5,
        ["Student"] = 5,
        ["Uptraining"] = 6,
        ["Reporting"] = 6,
    };

    /// <summary>The class generated from Messages.resx (the engine's root): every layer reads its messages.</summary>
    private const string GeneratedMessages = "Messages";

    private static string EngineFolder
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Uptrain.sln")))
            {
                folder = folder.Parent;
            }

            Assert.NotNull(folder);
            return Path.Combine(folder.FullName, "src", "Uptrain.Engine");
        }
    }

    [Fact]
    public void EveryEngineFileIsInAKnownLayer()
    {
        var unknown = SourceFiles().Select(f => f.Folder).Where(f => !Layers.ContainsKey(f)).Distinct().ToList();
        Assert.True(unknown.Count == 0, "folders without a layer (or files at the engine's root): " + string.Join(", ", unknown));
    }

    [Fact]
    public void NoFolderUsesAFolderBesideOrAboveIt()
    {
        var files = SourceFiles().Where(f => Layers.ContainsKey(f.Folder)).ToList();
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        var ambiguous = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (Match declared in Declaration().Matches(file.Code))
            {
                var name = declared.Groups["name"].Value;
                if (owner.TryGetValue(name, out var folder) && folder != file.Folder)
                {
                    ambiguous.Add(name);
                }

                owner[name] = file.Folder;
            }
        }

        Assert.True(owner.Count > 100, $"only {owner.Count} types found: the declaration pattern is broken");
        var violations = new List<string>();
        foreach (var file in files)
        {
            var layer = Layers[file.Folder];
            var members = Member().Matches(file.Code).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
            foreach (var name in Identifier().Matches(file.Code).Select(m => m.Value).Distinct(StringComparer.Ordinal))
            {
                if (name == GeneratedMessages || members.Contains(name) || ambiguous.Contains(name) || IsSystemType(name) || !owner.TryGetValue(name, out var folder) || folder == file.Folder)
                {
                    continue;
                }

                if (Layers[folder] >= layer)
                {
                    violations.Add($"{file.Path} ({file.Folder}, layer {layer}) uses {name} ({folder}, layer {Layers[folder]})");
                }
            }
        }

        foreach (var file in files)
        {
            // A namespace of another folder named in code: a using directive or a qualified name.
            foreach (var folder in NamespaceUse().Matches(file.Code).Select(m => m.Groups["folder"].Value).Distinct(StringComparer.Ordinal))
            {
                if (folder != file.Folder && Layers.TryGetValue(folder, out var used) && used >= Layers[file.Folder])
                {
                    violations.Add($"{file.Path} ({file.Folder}, layer {Layers[file.Folder]}) names the namespace Uptrain.{folder} (layer {used})");
                }
            }
        }

        foreach (var violation in violations)
        {
            log.WriteLine(violation);
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void TheCheckFindsAUseOfAFolderBesideIt()
    {
        // The pattern the rule relies on: a type name in code, not in a comment or a string.
        var code = StripCommentsAndStrings("var model = new StudentModel(); // TeacherTrainer\n var s = \"TeacherTrainer\"; var o = new TeacherTrainingOptions { Seed = 1 };");
        var names = Identifier().Matches(code).Select(m => m.Value).ToList();
        Assert.Contains("StudentModel", names);
        Assert.Contains("TeacherTrainingOptions", names);
        Assert.DoesNotContain("TeacherTrainingOptions", Member().Matches(code).Select(m => m.Groups["name"].Value));
        Assert.DoesNotContain("TeacherTrainer", names);
        Assert.Equal("Student", NamespaceUse().Match(StripCommentsAndStrings("using Uptrain.Student;")).Groups["folder"].Value);
    }

    /// <summary>A name the base library's System namespace also has (<c>Buffer</c>, <c>Index</c>): a file may mean that one.</summary>
    private static bool IsSystemType(string name) => typeof(object).Assembly.GetType("System." + name) is not null;

    private static IEnumerable<(string Path, string Folder, string Code)> SourceFiles()
    {
        var root = EngineFolder;
        foreach (var path in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal))
            {
                continue;
            }

            var slash = relative.IndexOf('/', StringComparison.Ordinal);
            yield return (relative, slash < 0 ? "(root)" : relative[..slash], StripCommentsAndStrings(File.ReadAllText(path)));
        }
    }

    /// <summary>The code with comments, string and character literals blanked, so that only code names remain.</summary>
    private static string StripCommentsAndStrings(string source) => CommentOrString().Replace(source, " ");

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|\$?""(?:\\.|[^""\\\n])*""|'(?:\\.|[^'\\\n])'", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex Declaration();

    /// <summary>A property the file declares (<c>int Dimension { get; }</c>, <c>… Dimension =&gt;</c>): its name is no use of a type of that name.</summary>
    [GeneratedRegex(@"\b(?!new\b)[\w<>\[\]?,]+\s+(?<name>[A-Z]\w*)\s*(?:\{|=>)")]
    private static partial Regex Member();

    [GeneratedRegex(@"\bUptrain\.(?<folder>[A-Z]\w*)\b")]
    private static partial Regex NamespaceUse();

    /// <summary>A capitalised name not reached through a dot (a member, or a namespace's part).</summary>
    [GeneratedRegex(@"(?<![\w.])[A-Z]\w*")]
    private static partial Regex Identifier();
}

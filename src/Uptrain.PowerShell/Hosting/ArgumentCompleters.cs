using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using Uptrain.Data;
using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Teacher;

namespace Uptrain.Hosting;

/// <summary>What the argument completers share: the word typed so far, the session's folder, and results.</summary>
internal static class Completion
{
    /// <summary>
    /// The current file system folder of the session (the process's when there is none). A completer runs inside the
    /// session's pipeline, where its SessionStateProxy refuses calls: a nested pipeline asks Get-Location instead.
    /// </summary>
    public static string CurrentFolder()
    {
        if (Runspace.DefaultRunspace is null)
        {
            return Environment.CurrentDirectory;
        }

        try
        {
            using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
            var location = shell.AddCommand("Microsoft.PowerShell.Management\\Get-Location").AddParameter("PSProvider", "FileSystem").Invoke<PathInfo>();
            return location.Count > 0 ? location[0].ProviderPath : Environment.CurrentDirectory;
        }
        catch (Exception ex) when (ex is PSInvalidOperationException or RuntimeException)
        {
            return Environment.CurrentDirectory;
        }
    }

    /// <summary>The word typed so far, without the quotes it may have started with.</summary>
    public static string Typed(string? word) => (word ?? string.Empty).Trim('\'', '"');

    /// <summary>A result for <paramref name="text"/>, quoted when it holds a space or a character PowerShell would split on.</summary>
    public static CompletionResult Result(string text, CompletionResultType type, string? tooltip = null)
    {
        var quoted = text.IndexOfAny([' ', '\t', '\'', '"', '$', '`', ',', ';', '(', ')', '{', '}', '&', '|', '@', '#']) >= 0
            ? "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'"
            : text;
        return new CompletionResult(quoted, text, type, tooltip ?? text);
    }

    /// <summary>
    /// The folders under the folder part of <paramref name="typed"/> whose names start with its last part, as the user would
    /// type them (relative when <paramref name="typed"/> is), with the folder's full path.
    /// </summary>
    public static IEnumerable<(string Typed, string Full)> Folders(string typed)
    {
        var current = CurrentFolder();
        var separator = typed.LastIndexOfAny(['/', '\\']);
        var parentTyped = separator >= 0 ? typed[..(separator + 1)] : string.Empty;
        var prefix = separator >= 0 ? typed[(separator + 1)..] : typed;
        string parent;
        try
        {
            parent = Path.GetFullPath(parentTyped.Length == 0 ? "." : parentTyped, current);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            yield break;
        }

        if (!Directory.Exists(parent))
        {
            yield break;
        }

        IEnumerable<string> folders;
        try
        {
            folders = Directory.EnumerateDirectories(parent).Order(StringComparer.OrdinalIgnoreCase).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var folder in folders)
        {
            var name = Path.GetFileName(folder);
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                yield return (parentTyped + name, folder);
            }
        }
    }

    /// <summary>The bound value of the first of <paramref name="names"/> in <paramref name="bound"/>, as a string.</summary>
    public static string? Bound(IDictionary bound, params string[] names)
    {
        foreach (var name in names)
        {
            if (bound.Contains(name) && bound[name] is { } value)
            {
                var raw = value is PSObject wrapped ? wrapped.BaseObject : value;
                return raw switch
                {
                    string text => text,
                    IEnumerable list => list.Cast<object?>().Select(o => o?.ToString()).FirstOrDefault(o => !string.IsNullOrEmpty(o)),
                    _ => raw.ToString(),
                };
            }
        }

        return null;
    }
}

/// <summary>Completes <c>-Model</c>: model folders (those with an <c>uptrain-model.json</c>) only.</summary>
internal sealed class ModelFolderCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Folders(Completion.Typed(wordToComplete))
            .Where(f => ModelFolder.IsModelFolder(f.Full))
            .Select(f => Completion.Result(f.Typed, CompletionResultType.ProviderContainer, f.Full));
}

/// <summary>Completes <c>-BaseModel</c>: the bundled model's name, and BERT-family base model folders.</summary>
internal sealed class BaseModelCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = Completion.Typed(wordToComplete);
        if (TeacherModels.BundledName.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
        {
            yield return Completion.Result(TeacherModels.BundledName, CompletionResultType.ParameterValue, Messages.CompletionBundledModel);
        }

        foreach (var (folderTyped, full) in Completion.Folders(typed))
        {
            if (TeacherModels.IsBaseModelFolder(full))
            {
                yield return Completion.Result(folderTyped, CompletionResultType.ProviderContainer, full);
            }
        }
    }
}

/// <summary>Completes <c>-Encoding</c> with the names it takes.</summary>
internal sealed class EncodingCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = Completion.Typed(wordToComplete);
        return EncodingArgumentAttribute.Names
            .Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(n => Completion.Result(n, CompletionResultType.ParameterValue));
    }
}

/// <summary>Completes <c>-TextColumn</c> and <c>-LabelColumn</c> with the header of the CSV file given by <c>-Path</c> or <c>-LiteralPath</c>.</summary>
internal sealed class CsvColumnCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = Completion.Typed(wordToComplete);
        var path = Completion.Bound(fakeBoundParameters, "LiteralPath", "Path");
        if (path is null)
        {
            return [];
        }

        IReadOnlyList<string> header;
        try
        {
            var full = Path.GetFullPath(Completion.Typed(path), Completion.CurrentFolder());
            header = File.Exists(full) ? TextcatCsvColumns.ReadHeader(full, Completion.Bound(fakeBoundParameters, "Delimiter")) : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or UptrainException)
        {
            return [];
        }

        return header
            .Where(c => c.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(c => Completion.Result(c, CompletionResultType.ParameterValue));
    }
}

/// <summary>Completes <c>-PositiveLabel</c> with the labels of the model given by <c>-Model</c> (a model folder).</summary>
internal sealed class ModelLabelCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = Completion.Typed(wordToComplete);
        IReadOnlyList<string> labels = [];
        var bound = fakeBoundParameters.Contains("Model") ? fakeBoundParameters["Model"] : null;
        bound = bound is PSObject wrapped ? wrapped.BaseObject : bound;
        try
        {
            var folder = bound is string typedFolder ? Path.GetFullPath(Completion.Typed(typedFolder), Completion.CurrentFolder()) : null;
            labels = bound switch
            {
                ModelReference reference => reference.GetCard().Labels,
                _ when folder is not null && ModelFolder.IsModelFolder(folder) => ModelCard.Read(folder).Labels,
                _ => [],
            };
        }
        catch (Exception ex) when (ex is UptrainException or ArgumentException or NotSupportedException or PathTooLongException)
        {
            return [];
        }

        return labels
            .Where(l => l.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(l => Completion.Result(l, CompletionResultType.ParameterValue));
    }
}

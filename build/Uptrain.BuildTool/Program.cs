using Uptrain.BuildTool;

// Entry point for the build targets in build/*.targets. Each command prints one line of what it did
// and exits non-zero, with the reason on stderr, when it cannot do it.
try
{
    return args switch
    {
        ["extract-resources", var assembly, .. var pairs] when pairs.Length > 0 => ExtractResources(assembly, pairs),
        ["weaken-version-need", var library, var version, var systemLibrary] => WeakenVersionNeed(library, version, systemLibrary),
        _ => Usage(),
    };
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or BadImageFormatException)
{
    Console.Error.WriteLine($"Uptrain.BuildTool: error: {e.Message}");
    return 1;
}

static int ExtractResources(string assembly, string[] pairs)
{
    foreach (var pair in pairs)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return Usage();
        }

        var resource = pair[..equals];
        var output = pair[(equals + 1)..];
        var length = ManifestResourceExtractor.Extract(assembly, resource, output);
        Console.WriteLine($"Uptrain.BuildTool: {resource} ({length:N0} bytes) -> {output}");
    }

    return 0;
}

static int WeakenVersionNeed(string library, string version, string systemLibrary)
{
    // The system library decides: when it defines the version, the requirement is met as it is.
    if (File.Exists(systemLibrary) && ElfVersions.Defines(systemLibrary, version))
    {
        Console.WriteLine($"Uptrain.BuildTool: {systemLibrary} defines {version}; {Path.GetFileName(library)} left as it is.");
        return 0;
    }

    var result = ElfVersions.WeakenNeed(library, version);
    Console.WriteLine($"Uptrain.BuildTool: {Path.GetFileName(library)}: {version} need {result switch
    {
        WeakenResult.Weakened => "marked weak",
        WeakenResult.AlreadyWeak => "already weak",
        _ => "not present; nothing to do",
    }}.");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("""
        Uptrain.BuildTool: error: unknown command. Usage:
          extract-resources <assembly> <resource-name>=<output-file> [...]
          weaken-version-need <elf-library> <version> <system-library-that-may-define-it>
        """);
    return 2;
}

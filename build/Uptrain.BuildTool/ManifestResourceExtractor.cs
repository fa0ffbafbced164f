using System.Buffers.Binary;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Uptrain.BuildTool;

/// <summary>
/// Copies a manifest resource embedded in a .NET assembly to a file, reading the assembly's metadata
/// with System.Reflection.Metadata and never loading it.
/// </summary>
internal static class ManifestResourceExtractor
{
    /// <summary>Writes the resource's bytes to <paramref name="outputPath"/> (through a temporary file).</summary>
    /// <returns>The resource's length in bytes.</returns>
    public static long Extract(string assemblyPath, string resourceName, string outputPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream, PEStreamOptions.LeaveOpen);
        if (!pe.HasMetadata)
        {
            throw new InvalidDataException($"{assemblyPath} is not a .NET assembly.");
        }

        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!metadata.StringComparer.Equals(resource.Name, resourceName))
            {
                continue;
            }

            if (!resource.Implementation.IsNil)
            {
                throw new InvalidDataException($"{resourceName} in {assemblyPath} is linked from another file, not embedded.");
            }

            // Embedded resources sit in the CLI header's resources directory, each as a 4-byte
            // little-endian length followed by the bytes; the resource's Offset is from the directory start.
            var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
            if (!pe.PEHeaders.TryGetDirectoryOffset(directory, out var directoryOffset))
            {
                throw new InvalidDataException($"{assemblyPath} has no resources directory in the file.");
            }

            stream.Position = directoryOffset + resource.Offset;
            Span<byte> prefix = stackalloc byte[4];
            stream.ReadExactly(prefix);
            long length = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
            if (resource.Offset + 4 + length > directory.Size)
            {
                throw new InvalidDataException($"{resourceName} in {assemblyPath} runs past the resources directory.");
            }

            WriteAtomically(outputPath, target => CopyExactly(stream, target, length));
            return length;
        }

        throw new InvalidDataException($"{assemblyPath} has no manifest resource named {resourceName}.");
    }

    private static void CopyExactly(Stream source, Stream target, long length)
    {
        var buffer = new byte[1 << 20];
        while (length > 0)
        {
            var read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, length));
            if (read == 0)
            {
                throw new EndOfStreamException("The assembly ends inside a resource.");
            }

            target.Write(buffer, 0, read);
            length -= read;
        }
    }

    internal static void WriteAtomically(string outputPath, Action<Stream> write)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(outputPath)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var target = new FileStream(temporary, FileMode.Create, FileAccess.Write))
            {
                write(target);
            }

            File.Move(temporary, outputPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}

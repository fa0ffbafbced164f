using System.Buffers.Binary;
using System.Text;

namespace Uptrain.BuildTool;

/// <summary>What <see cref="ElfVersions.WeakenNeed"/> did.</summary>
internal enum WeakenResult
{
    /// <summary>The library does not ask for that version.</summary>
    NotNeeded,

    /// <summary>The need was already weak.</summary>
    AlreadyWeak,

    /// <summary>The need is now weak.</summary>
    Weakened,
}

/// <summary>
/// Reads and edits the GNU symbol-versioning sections of a 64-bit little-endian ELF shared library
/// (<c>.gnu.version_d</c>: versions it defines; <c>.gnu.version_r</c>: versions it needs from others).
/// </summary>
/// <remarks>
/// Why: TorchSharp 0.107's libLibTorchSharp.so needs GLIBCXX_3.4.32 (GCC 13) for a single symbol,
/// <c>std::ios_base_library_init()</c>, which it only references as an unrelocated marker. Systems
/// with GCC 12's libstdc++ (Debian 12) lack the version, and the dynamic loader refuses the library.
/// A need flagged VER_FLG_WEAK is not enforced by the loader, and the library then loads and runs.
/// </remarks>
internal static class ElfVersions
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>Whether the library defines (exports) the symbol version <paramref name="version"/>.</summary>
    public static bool Defines(string path, string version)
    {
        var image = File.ReadAllBytes(path);
        foreach (var section in Sections(image, path, ShtGnuVerdef))
        {
            // Elf64_Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32,
            // vd_aux u32, vd_next u32. Its first Elf64_Verdaux (vda_name u32, vda_next u32) names it.
            var offset = section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                var auxiliary = offset + U32(image, offset + 12);
                if (section.String(image, U32(image, auxiliary)) == version)
                {
                    return true;
                }

                offset += U32(image, offset + 16);
            }
        }

        return false;
    }

    /// <summary>
    /// Flags the need for <paramref name="version"/> as weak. The file is rewritten through a temporary
    /// copy (never in place, so a hard link to a package cache is never modified) and keeps its
    /// last-write time, so that MSBuild's copy of unchanged files leaves the patched file alone.
    /// </summary>
    public static WeakenResult WeakenNeed(string path, string version)
    {
        var image = File.ReadAllBytes(path);
        var flagsOffset = FindNeedFlags(image, path, version);
        if (flagsOffset < 0)
        {
            return WeakenResult.NotNeeded;
        }

        var flags = U16(image, flagsOffset);
        if ((flags & VerFlagWeak) != 0)
        {
            return WeakenResult.AlreadyWeak;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(checked((int)flagsOffset)), (ushort)(flags | VerFlagWeak));
        var lastWrite = File.GetLastWriteTimeUtc(path);
        var mode = OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(path);
        ManifestResourceExtractor.WriteAtomically(path, target => target.Write(image));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        File.SetLastWriteTimeUtc(path, lastWrite);
        return WeakenResult.Weakened;
    }

    /// <summary>Whether the library's need for <paramref name="version"/> is weak; <c>null</c> when it has none.</summary>
    public static bool? IsNeedWeak(string path, string version)
    {
        var image = File.ReadAllBytes(path);
        var flagsOffset = FindNeedFlags(image, path, version);
        return flagsOffset < 0 ? null : (U16(image, flagsOffset) & VerFlagWeak) != 0;
    }

    /// <summary>The file offset of the vna_flags of the Vernaux entry that names <paramref name="version"/>; -1 if none.</summary>
    private static long FindNeedFlags(byte[] image, string path, string version)
    {
        foreach (var section in Sections(image, path, ShtGnuVerneed))
        {
            // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
            // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
            var offset = section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                var count = U16(image, offset + 2);
                var auxiliary = offset + U32(image, offset + 8);
                for (var j = 0; j < count; j++)
                {
                    if (section.String(image, U32(image, auxiliary + 8)) == version)
                    {
                        return auxiliary + 4;
                    }

                    auxiliary += U32(image, auxiliary + 12);
                }

                offset += U32(image, offset + 12);
            }
        }

        return -1;
    }

    private static IEnumerable<Section> Sections(byte[] image, string path, uint type)
    {
        // Elf64_Ehdr: e_ident "\x7fELF", class 2 (64-bit), data 1 (little-endian);
        // e_shoff u64 at 0x28, e_shentsize u16 at 0x3a, e_shnum u16 at 0x3c.
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
        {
            throw new InvalidDataException($"{path} is not an ELF file.");
        }

        if (image[4] != 2 || image[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");
        }

        var headers = (long)BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(0x28));
        var size = U16(image, 0x3a);
        var count = U16(image, 0x3c);
        if (headers <= 0 || size < 64 || headers + ((long)size * count) > image.Length)
        {
            throw new InvalidDataException($"{path} has no readable section headers.");
        }

        Section Read(int index)
        {
            // Elf64_Shdr: sh_type u32 at 4, sh_offset u64 at 24, sh_size u64 at 32, sh_link u32 at 40, sh_info u32 at 44.
            var at = headers + ((long)index * size);
            return new Section(
                U32(image, at + 4),
                (long)BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(checked((int)(at + 24)))),
                U32(image, at + 40),
                U32(image, at + 44),
                0);
        }

        for (var i = 0; i < count; i++)
        {
            var section = Read(i);
            if (section.Type == type)
            {
                var strings = Read(checked((int)section.Link));
                yield return section with { StringsOffset = strings.Offset };
            }
        }
    }

    private static ushort U16(byte[] image, long offset) => BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(checked((int)offset)));

    private static uint U32(byte[] image, long offset) => BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(checked((int)offset)));

    private readonly record struct Section(uint Type, long Offset, uint Link, uint Info, long StringsOffset)
    {
        public string String(byte[] image, uint index)
        {
            var start = checked((int)(StringsOffset + index));
            var end = Array.IndexOf(image, (byte)0, start);
            return Encoding.ASCII.GetString(image, start, end - start);
        }
    }
}

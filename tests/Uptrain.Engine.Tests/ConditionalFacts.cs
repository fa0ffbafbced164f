using Uptrain.Inference;

namespace Uptrain.Tests;

// xunit 2 has no dynamic skip; these facts set Skip in their constructor, so a test that cannot run
// where it is discovered is reported as skipped, with the reason, instead of passing without checking.

/// <summary>A fact about what the build does on Linux (ELF files, glibc's libstdc++, libLibTorchSharp.so).</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Linux only: it checks the ELF copy of libLibTorchSharp.so that the build makes for glibc systems.";
        }
    }
}

/// <summary>A fact about processes as Linux shows them in /proc (zombies, process states).</summary>
public sealed class ProcFsFactAttribute : FactAttribute
{
    public ProcFsFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Linux only: it reads process states from /proc/<pid>/stat.";
        }
    }
}

/// <summary>A fact about the CPU build of ONNX Runtime (the default flavour); skipped in the GPU build.</summary>
public sealed class CpuRuntimeFactAttribute : FactAttribute
{
    public CpuRuntimeFactAttribute()
    {
        if (ScoringSession.CudaInBuild())
        {
            Skip = "CPU build only: this ONNX Runtime has the CUDA execution provider (built with -Flavor Gpu).";
        }
    }
}

/// <summary>A fact about scoring on a GPU: runs only in the GPU build (-Flavor Gpu) on a machine with an NVIDIA GPU.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (!ScoringSession.CudaInBuild())
        {
            Skip = "GPU build only: this ONNX Runtime has no CUDA execution provider (build with -Flavor Gpu).";
        }
        else if (!NvidiaDriverPresent())
        {
            Skip = "No NVIDIA GPU driver on this machine.";
        }
    }

    private static bool NvidiaDriverPresent() =>
        OperatingSystem.IsWindows()
            ? File.Exists(Path.Combine(Environment.SystemDirectory, "nvcuda.dll"))
            : Directory.Exists("/proc/driver/nvidia/gpus") && Directory.EnumerateDirectories("/proc/driver/nvidia/gpus").Any();
}

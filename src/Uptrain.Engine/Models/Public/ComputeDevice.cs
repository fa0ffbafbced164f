namespace Uptrain;

/// <summary>Where a model trains or scores.</summary>
public enum ComputeDevice
{
    /// <summary>The GPU when a usable one (and, for scoring, the GPU build of the module) is present, else the CPU.</summary>
    Auto,

    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>An NVIDIA GPU through CUDA; an error when none is usable.</summary>
    Cuda,
}

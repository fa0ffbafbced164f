using System.Runtime.Intrinsics.X86;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Uptrain.Teacher;

/// <summary>The number format of the teacher's matrix products in training.</summary>
public enum TrainingPrecision
{
    /// <summary>bfloat16 on a CPU with bfloat16 instructions (AVX512_BF16 or AMX-BF16), float32 elsewhere.</summary>
    Auto,

    /// <summary>Everything in float32.</summary>
    Float32,

    /// <summary>
    /// The encoder's linear layers and attention products in bfloat16, from float32 weights (which stay the optimizer's
    /// master copy); layer norms, softmax, the loss and the head stay float32. Slow on a CPU without bfloat16 instructions.
    /// </summary>
    BFloat16,
}

/// <summary>
/// Mixed precision for the teacher's training steps, by hand since TorchSharp has no autocast: <see cref="Linear"/> and
/// <see cref="MatMul"/> compute in the lower precision when one is set; everything else stays float32.
/// </summary>
public static class MixedPrecision
{
    /// <summary>
    /// True when this CPU has bfloat16 dot-product instructions (AVX512_BF16, CPUID leaf 7 sub-leaf 1 EAX bit 5, or AMX-BF16,
    /// leaf 7 EDX bit 22) and the system saves AVX-512 state; libtorch's oneDNN kernels then multiply bfloat16 matrices two to
    /// three times as fast as float32 ones.
    /// </summary>
    public static bool CpuHasBFloat16 { get; } = DetectBFloat16();

    /// <summary>The lower precision <paramref name="precision"/> means on <paramref name="device"/>, or null for float32.</summary>
    public static ScalarType? Resolve(TrainingPrecision precision, Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return precision switch
        {
            TrainingPrecision.Float32 => null,
            TrainingPrecision.BFloat16 => ScalarType.BFloat16,
            _ => device.type == DeviceType.CPU && CpuHasBFloat16 ? ScalarType.BFloat16 : null,
        };
    }

    /// <summary>The card's and the messages' name of a lower precision (null: float32).</summary>
    public static string Name(ScalarType? lower) => lower == ScalarType.BFloat16 ? "bfloat16" : "float32";

    /// <summary><paramref name="layer"/> applied to <paramref name="input"/>, in <paramref name="lower"/> precision when given.</summary>
    public static Tensor Linear(Linear layer, Tensor input, ScalarType? lower)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        if (lower is not { } type)
        {
            return layer.call(input);
        }

        using var scope = NewDisposeScope();
        return nn.functional.linear(input.to_type(type), layer.weight!.to_type(type), layer.bias?.to_type(type)).MoveToOuterDisposeScope();
    }

    /// <summary>The matrix product of <paramref name="left"/> and <paramref name="right"/>, in <paramref name="lower"/> precision when given.</summary>
    public static Tensor MatMul(Tensor left, Tensor right, ScalarType? lower)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (lower is not { } type)
        {
            return matmul(left, right);
        }

        using var scope = NewDisposeScope();
        return matmul(left.to_type(type), right.to_type(type)).MoveToOuterDisposeScope();
    }

    private static bool DetectBFloat16()
    {
        if (!X86Base.IsSupported || !Avx512F.IsSupported)
        {
            return false;
        }

        var (maxLeaf, _, _, _) = X86Base.CpuId(0, 0);
        if (maxLeaf < 7)
        {
            return false;
        }

        var (subLeaves, _, _, edx) = X86Base.CpuId(7, 0);
        var amxBFloat16 = (edx & (1 << 22)) != 0;
        var avx512BFloat16 = subLeaves >= 1 && (X86Base.CpuId(7, 1).Eax & (1 << 5)) != 0;
        return amxBFloat16 || avx512BFloat16;
    }
}

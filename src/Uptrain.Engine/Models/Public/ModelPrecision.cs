namespace Uptrain;

/// <summary>Which of a teacher's graphs scores: the fp32 one, or the 8-bit one that training with -Quantize wrote beside it.</summary>
public enum ModelPrecision
{
    /// <summary>The weights as trained (<c>model.onnx</c>, 32-bit floats).</summary>
    Float32,

    /// <summary>
    /// The 8-bit graph (<c>model.int8.onnx</c>): int8 weights, activations quantised per batch at run time. A CPU model:
    /// it scores on the CPU whatever device is asked for. A student scores as it was stored (its rows are 8-bit when it was
    /// trained with Invoke-StudentTraining -Quantize, the default).
    /// </summary>
    Int8,
}

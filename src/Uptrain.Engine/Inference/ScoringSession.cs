using Microsoft.ML.OnnxRuntime;
using Uptrain.Diagnostics;
using Uptrain.Models;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Inference;

/// <summary>
/// One ONNX Runtime session on a teacher graph (inputs <c>input_ids</c>, <c>attention_mask</c>,
/// <c>token_type_ids</c>; output <c>scores [batch, labels]</c>), created once on the chosen execution
/// provider and reused for every batch. <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue})"/>
/// is thread-safe, so one session serves concurrent scorers, each with its own <see cref="ScoringBuffers"/>.
/// </summary>
internal sealed class ScoringSession : IDisposable
{
    /// <summary>ONNX Runtime's name for the CUDA execution provider.</summary>
    public const string CudaProvider = "CUDAExecutionProvider";

    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames = [ModelFolder.ScoresOutput];

    private ScoringSession(InferenceSession session, string[] inputNames, ComputeDevice device, int threads, int labelCount)
    {
        _session = session;
        _inputNames = inputNames;
        Device = device;
        Threads = threads;
        LabelCount = labelCount;
    }

    /// <summary>The device the session runs on: <see cref="ComputeDevice.Cpu"/> or <see cref="ComputeDevice.Cuda"/>, never Auto.</summary>
    public ComputeDevice Device { get; }

    /// <summary>ONNX Runtime's intra-op thread count.</summary>
    public int Threads { get; }

    /// <summary>Columns of the scores output.</summary>
    public int LabelCount { get; }

    /// <summary>Whether the loaded ONNX Runtime native library has the CUDA execution provider (the GPU build).</summary>
    public static bool CudaInBuild() => OrtEnv.Instance().GetAvailableProviders().Contains(CudaProvider, StringComparer.Ordinal);

    /// <summary>
    /// Opens <paramref name="onnxPath"/> on <paramref name="device"/>. Auto takes CUDA when the build has it
    /// and it starts, else the CPU, and says why on the verbose stream.
    /// </summary>
    /// <exception cref="UptrainException"><c>CudaUnavailable</c>, <c>InvalidModel</c>.</exception>
    public static ScoringSession Open(string onnxPath, int labelCount, ComputeDevice device, int threads, IOutputWriter output)
    {
        if (device != ComputeDevice.Cpu)
        {
            try
            {
                return Create(onnxPath, labelCount, ComputeDevice.Cuda, threads);
            }
            catch (UptrainException ex) when (device == ComputeDevice.Auto)
            {
                // Either CUDA would not start, or a session on it would not open (a CUDA library missing at
                // session creation); a model that is itself broken fails again on the CPU, with its own error.
                output.WriteVerbose(Format(Messages.CudaFallback, ex.Message));
            }
        }

        return Create(onnxPath, labelCount, ComputeDevice.Cpu, threads);
    }

    /// <summary>
    /// Scores the first <paramref name="rows"/> rows of <paramref name="buffers"/>, each
    /// <paramref name="length"/> tokens long, into <see cref="ScoringBuffers.Scores"/> ([rows, labels], row-major).
    /// </summary>
    public void Run(ScoringBuffers buffers, int rows, int length, RunOptions runOptions)
    {
        long[] shape = [rows, length];
        var count = rows * length;
        using var ids = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffers.InputIds.AsMemory(0, count), shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffers.AttentionMask.AsMemory(0, count), shape);
        using var types = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffers.TokenTypeIds.AsMemory(0, count), shape);
        using var scores = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffers.Scores.AsMemory(0, rows * LabelCount), [rows, LabelCount]);
        var inputs = new OrtValue[_inputNames.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = _inputNames[i] switch
            {
                ModelFolder.InputIds => ids,
                ModelFolder.AttentionMask => mask,
                _ => types,
            };
        }

        _session.Run(runOptions, _inputNames, inputs, _outputNames, [scores]);
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    private static ScoringSession Create(string onnxPath, int labelCount, ComputeDevice device, int threads)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = threads,
            // ONNX Runtime warns on every CUDA session that it keeps shape ops on the CPU (by design);
            // that is noise in a console. Errors still come through, and ours say what to do.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (device == ComputeDevice.Cuda)
        {
            if (!CudaInBuild())
            {
                throw new UptrainException("CudaUnavailable", ErrorKind.ResourceUnavailable, Messages.CudaNotInBuild, device);
            }

            try
            {
                options.AppendExecutionProvider_CUDA(0);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new UptrainException("CudaUnavailable", ErrorKind.ResourceUnavailable, Format(Messages.CudaFailed, ex.Message.TrimEnd('.')), device, ex);
            }
        }

        InferenceSession session;
        try
        {
            session = new InferenceSession(onnxPath, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new UptrainException("InvalidModel", ErrorKind.InvalidData, Format(Messages.InvalidOnnxModel, onnxPath, ex.Message), onnxPath, ex);
        }

        try
        {
            return new ScoringSession(session, CheckSignature(session, onnxPath, labelCount), device, threads, labelCount);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The graph's inputs, all of which Uptrain must be able to feed, and its scores output of the card's width.</summary>
    private static string[] CheckSignature(InferenceSession session, string onnxPath, int labelCount)
    {
        var known = ModelFolder.InputNames;
        foreach (var name in session.InputNames)
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                throw Mismatch(onnxPath, Format(Messages.SignatureUnknownInput, name, string.Join(", ", known)));
            }
        }

        if (!session.OutputMetadata.TryGetValue(ModelFolder.ScoresOutput, out var scores))
        {
            throw Mismatch(onnxPath, Format(Messages.SignatureNoScores, ModelFolder.ScoresOutput, string.Join(", ", session.OutputNames)));
        }

        var columns = scores.Dimensions.Length == 2 ? scores.Dimensions[1] : -1;
        if (columns != labelCount)
        {
            throw Mismatch(onnxPath, Format(Messages.SignatureLabelCount, ModelFolder.ScoresOutput, columns < 0 ? "?" : columns, labelCount));
        }

        return [.. session.InputNames];
    }

    private static UptrainException Mismatch(string onnxPath, string detail) =>
        new("InvalidModel", ErrorKind.InvalidData, Format(Messages.ModelSignatureMismatch, onnxPath, detail), onnxPath);
}

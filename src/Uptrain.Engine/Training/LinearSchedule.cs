namespace Uptrain.Training;

/// <summary>Per-step learning rate: linear warm-up to the peak over the first steps, then linear decay to 0.</summary>
/// <remarks>
/// As Hugging Face's <c>get_linear_schedule_with_warmup</c>, except that warm-up step s (from 0) uses (s + 1) / warm-up
/// rather than s / warm-up, so that the first step is not wasted at a learning rate of 0.
/// </remarks>
/// <param name="Peak">The learning rate at the end of warm-up.</param>
/// <param name="WarmupSteps">Steps of warm-up.</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
public sealed record LinearSchedule(double Peak, int WarmupSteps, int TotalSteps)
{
    /// <summary>The learning rate of step <paramref name="step"/> (from 0).</summary>
    public double At(int step) => step < WarmupSteps
        ? Peak * (step + 1) / WarmupSteps
        : Peak * Math.Max(0.0, (double)(TotalSteps - step) / Math.Max(1, TotalSteps - WarmupSteps));
}

namespace Uptrain.Training;

/// <summary>How a trained model's scores are calibrated on the eval data before it is saved.</summary>
public enum CalibrationMode
{
    /// <summary>Scores as trained.</summary>
    None,

    /// <summary>One temperature for all logits, fitted on the eval data (<see cref="TemperatureScaling"/>).</summary>
    Temperature,
}

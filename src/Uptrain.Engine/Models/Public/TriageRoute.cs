namespace Uptrain;

/// <summary>Where triage sends a scored pool text (see Select-UptrainExample).</summary>
public enum TriageRoute
{
    /// <summary>Confident: added to the silver dataset with the teacher's labels.</summary>
    Accept,

    /// <summary>Uncertain: sent to a person.</summary>
    Review,

    /// <summary>Confidently fits no label (or, exclusive, scores at or below Low): left out.</summary>
    Skip,
}

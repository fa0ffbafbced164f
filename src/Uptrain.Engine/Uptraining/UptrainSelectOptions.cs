namespace Uptrain.Uptraining;

/// <summary>What Select-UptrainExample was asked to do; see <see cref="UptrainSelector"/>.</summary>
public sealed record UptrainSelectOptions
{
    /// <summary>Default High when no threshold set is given: a common starting point, to be replaced by Find-UptrainThreshold's.</summary>
    public const double DefaultHigh = 0.9;

    /// <summary>Default Low for multilabel data when no threshold set is given (exclusive data: 0, nothing skipped).</summary>
    public const double DefaultMultilabelLow = 0.1;

    /// <summary>The thresholds (from Find-UptrainThreshold); null to use <see cref="High"/> and <see cref="Low"/> for every label.</summary>
    public ThresholdSet? Thresholds { get; init; }

    /// <summary>One High for all labels, when <see cref="Thresholds"/> is null.</summary>
    public double High { get; init; } = DefaultHigh;

    /// <summary>
    /// One Low for all labels, when <see cref="Thresholds"/> is null. Null: <see cref="DefaultMultilabelLow"/> for
    /// multilabel data and 0 (nothing skipped) for exclusive data, where held-out gold cannot say which texts fit no label.
    /// </summary>
    public double? Low { get; init; }

    /// <summary>-AcceptPartial and -KeepNegatives.</summary>
    public TriageOptions Triage { get; init; } = new();

    /// <summary>Texts to drop from the pool (eval and test texts); null for none.</summary>
    public ExcludeSet? Exclude { get; init; }

    /// <summary>The silver dataset accepted texts are appended to; null for none.</summary>
    public string? DatasetPath { get; init; }

    /// <summary>The review task file; null for none.</summary>
    public string? ReviewPath { get; init; }

    /// <summary>The most review tasks to write (the most uncertain); null for all.</summary>
    public int? ReviewBudget { get; init; }

    /// <summary>Replace an existing review file.</summary>
    public bool OverwriteReview { get; init; }
}

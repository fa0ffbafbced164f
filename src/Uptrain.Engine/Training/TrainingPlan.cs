namespace Uptrain.Training;

/// <summary>What a trainer is asked for, beyond the data: the settings every model kind shares.</summary>
/// <param name="OutputPath">The model folder to write.</param>
/// <param name="Force">Replace an existing folder.</param>
/// <param name="Exclusive">True: softmax over exclusive labels; false: one sigmoid per label; null: inferred from the data.</param>
/// <param name="PositiveLabel">The label whose F is the Score of a two-label exclusive task, or null.</param>
public sealed record TrainingRequest(string OutputPath, bool Force, bool? Exclusive, string? PositiveLabel);

/// <summary>Everything checked and decided about the data and the output before any training, by <see cref="TrainingPlanner"/>.</summary>
/// <param name="Labels">The labels in order of first appearance in the training data: the model's output columns.</param>
/// <param name="Exclusive">Whether the labels are mutually exclusive.</param>
/// <param name="Train">The training examples that can be trained on.</param>
/// <param name="Skipped">Training examples left out (exclusive: no positive label; multilabel: no known label).</param>
/// <param name="Eval">The examples scored after every epoch: the eval data, else <paramref name="Train"/>.</param>
/// <param name="EvalIsTrain">True when no eval data was given and the training data is scored instead.</param>
/// <param name="OutputFolder">The full path of the model folder to write.</param>
/// <param name="Force">Replace the folder when it exists.</param>
public sealed record TrainingPlan(
    IReadOnlyList<string> Labels,
    bool Exclusive,
    IReadOnlyList<TextcatExample> Train,
    int Skipped,
    IReadOnlyList<TextcatExample> Eval,
    bool EvalIsTrain,
    string OutputFolder,
    bool Force);

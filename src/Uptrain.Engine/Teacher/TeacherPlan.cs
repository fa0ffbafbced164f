using Uptrain.Training;
using static TorchSharp.torch;

namespace Uptrain.Teacher;

/// <summary>A <see cref="TrainingPlan"/> with what only a teacher needs: its base model and its device.</summary>
/// <param name="Data">Labels, examples and output folder, as any trainer plans them.</param>
/// <param name="BaseFolder">The full path of the base model's folder.</param>
/// <param name="BaseName">The base model as the card records it: the bundled name, else <paramref name="BaseFolder"/>.</param>
/// <param name="Device">Where training runs.</param>
/// <param name="Epochs">The run's epochs (<see cref="TeacherTrainingOptions.EpochsFor"/>).</param>
internal sealed record TeacherPlan(TrainingPlan Data, string BaseFolder, string BaseName, Device Device, int Epochs);

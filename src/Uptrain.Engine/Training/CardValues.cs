using System.Reflection;

namespace Uptrain.Training;

/// <summary>What every trainer writes into its model card the same way: the eval metrics and library versions.</summary>
internal static class CardValues
{
    /// <summary>The card's <c>metrics</c>: the kept epoch's eval scores (accuracy only where the labels are exclusive).</summary>
    public static Dictionary<string, double> Metrics(TextcatScore score)
    {
        var metrics = new Dictionary<string, double>
        {
            ["score"] = score.Score,
            ["macroP"] = score.MacroP,
            ["macroR"] = score.MacroR,
            ["macroF"] = score.MacroF,
            ["microP"] = score.MicroP,
            ["microR"] = score.MicroR,
            ["microF"] = score.MicroF,
            ["macroAuc"] = score.MacroAuc,
        };
        if (score.Accuracy is { } accuracy)
        {
            metrics["accuracy"] = accuracy;
        }

        return metrics;
    }

    /// <summary>An assembly's informational version (its plain version, else "unknown").</summary>
    public static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";
}

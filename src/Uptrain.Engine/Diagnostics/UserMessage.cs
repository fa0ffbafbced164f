using System.Globalization;

namespace Uptrain.Diagnostics;

/// <summary>The one formatter of user-facing messages: a <see cref="Messages"/> template filled in for the current culture.</summary>
internal static class UserMessage
{
    /// <summary>Formats <paramref name="format"/> (a <see cref="Messages"/> entry) with <paramref name="args"/> for the current culture.</summary>
    internal static string Format(string format, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, format, args);
}

using System.Management.Automation;
using Uptrain.Diagnostics;
using Uptrain.Uptraining;

namespace Uptrain.Hosting;

/// <summary>
/// Lets a <see cref="ThresholdSet"/> parameter take the set itself (from Find-UptrainThreshold) or the path of
/// the JSON file Find-UptrainThreshold -Path wrote (a string, resolved against the current location, or a
/// FileInfo), read with <see cref="ThresholdSetFile.Read"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class ThresholdSetArgumentAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        var path = value switch
        {
            FileInfo file => file.FullName,
            string text => engineIntrinsics.SessionState.Path.GetUnresolvedProviderPathFromPSPath(text),
            _ => null,
        };
        if (path is null)
        {
            return value;
        }
        try
        {
            return ThresholdSetFile.Read(path);
        }
        catch (UptrainException ex)
        {
            throw new ArgumentTransformationMetadataException(ex.Message, ex);
        }
    }
}

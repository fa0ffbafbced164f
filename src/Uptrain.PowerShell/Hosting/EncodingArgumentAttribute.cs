using System.Globalization;
using System.Management.Automation;
using System.Text;

namespace Uptrain.Hosting;

/// <summary>
/// Lets an <see cref="Encoding"/> parameter take what PowerShell's own <c>-Encoding</c> parameters take: a
/// name (<c>utf8</c>, <c>Unicode</c>, <c>BigEndianUnicode</c>, <c>UTF32</c>, <c>ASCII</c>, <c>Latin1</c>, or any
/// name .NET knows, such as <c>windows-1252</c>), a code page number, or an Encoding object.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class EncodingArgumentAttribute : ArgumentTransformationAttribute
{
    static EncodingArgumentAttribute() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Names to suggest when one is not known.</summary>
    internal static readonly string[] Names = ["utf8", "Latin1", "windows-1252", "Unicode", "BigEndianUnicode", "UTF32", "ASCII"];

    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        try
        {
            return value switch
            {
                null or Encoding => value,
                int codePage => Encoding.GetEncoding(codePage),
                string name => ByName(name),
                _ => value,
            };
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentTransformationMetadataException(
                string.Format(CultureInfo.CurrentCulture, Messages.UnknownEncoding, value, string.Join(", ", Names)), ex);
        }
    }

    private static Encoding ByName(string name) => name.ToUpperInvariant() switch
    {
        "UTF8" or "UTF-8" or "UTF8NOBOM" or "UTF8BOM" => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        "UNICODE" or "UTF16" or "UTF-16" => Encoding.Unicode,
        "BIGENDIANUNICODE" => Encoding.BigEndianUnicode,
        "UTF32" or "UTF-32" => Encoding.UTF32,
        "BIGENDIANUTF32" => new UTF32Encoding(bigEndian: true, byteOrderMark: true),
        "ASCII" => Encoding.ASCII,
        "LATIN1" => Encoding.Latin1,
        _ when int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var codePage) => Encoding.GetEncoding(codePage),
        _ => Encoding.GetEncoding(name),
    };
}

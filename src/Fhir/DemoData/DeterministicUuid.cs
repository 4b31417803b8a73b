using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace YTeSo.Fhir.DemoData;

/// <summary>
/// Name-based UUIDs for bundle fullUrls: the same seed, citizen and ordinal always give the same urn:uuid,
/// without consuming the citizen's random stream.
/// </summary>
internal static class DeterministicUuid
{
    public static string Urn(int seed, int citizen, int ordinal)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"yteso-demo/{seed}/{citizen}/{ordinal}");
        Span<byte> bytes = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), bytes);

        // RFC 9562 §5.8: version 8 (custom) in the high nibble of octet 6, variant 10 in octet 8.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return "urn:uuid:" + new Guid(bytes[..16], bigEndian: true).ToString("D");
    }
}

using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace YTeSo.Platform.Auditing;

/// <summary>
/// The hash chain: <c>hash(n) = SHA-256(hash(n-1) || canonical(n))</c>, with <c>hash(0)</c> 32 zero bytes.
/// <para>
/// <c>canonical(n)</c>, format 1, is a byte string built from these fields in this order:
/// the format byte <c>0x01</c>; seq; recorded_at (UTC ticks, 100 ns since 0001-01-01); action; outcome; actor id;
/// actor display; role; facility id; client id; source IP; purpose of use; resource type; resource ids; patient ids;
/// query; break-glass; detail.
/// An integer is 8 bytes big-endian. A boolean is one byte, 0 or 1. A string is its UTF-8 byte length as a 4-byte
/// big-endian integer followed by those bytes; null is the length -1 with no bytes, so null and "" differ.
/// A list is its count as a 4-byte big-endian integer (null and empty are both 0) followed by each string.
/// </para>
/// <para>
/// Length prefixes instead of JSON: the form must never change under a verifier that runs years later, and a JSON
/// writer's escaping rules belong to the library version; with prefixes no field can bleed into the next one.
/// </para>
/// </summary>
internal static class AuditChain
{
    public const byte Format = 1;

    public const int HashLength = 32;

    public static byte[] Genesis { get; } = new byte[HashLength];

    public static byte[] Hash(ReadOnlySpan<byte> previous, long seq, long recordedAtTicks, AuditRecord record)
    {
        var canonical = new ArrayBufferWriter<byte>(512);
        canonical.Write([Format]);
        WriteInt64(canonical, seq);
        WriteInt64(canonical, recordedAtTicks);
        WriteString(canonical, record.Action);
        WriteString(canonical, record.Outcome);
        WriteString(canonical, record.Actor.Id);
        WriteString(canonical, record.Actor.Display);
        WriteString(canonical, record.Actor.Role);
        WriteString(canonical, record.Actor.FacilityId);
        WriteString(canonical, record.Actor.ClientId);
        WriteString(canonical, record.Actor.SourceIp);
        WriteString(canonical, record.Actor.PurposeOfUse);
        WriteString(canonical, record.ResourceType);
        WriteList(canonical, record.ResourceIds);
        WriteList(canonical, record.PatientIds);
        WriteString(canonical, record.Query);
        canonical.Write([record.BreakGlass ? (byte)1 : (byte)0]);
        WriteString(canonical, record.Detail);

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(previous);
        sha.AppendData(canonical.WrittenSpan);
        return sha.GetHashAndReset();
    }

    /// <summary>
    /// The record as it will be stored: NUL characters and unpaired surrogates become U+FFFD. PostgreSQL refuses both
    /// in text, and one such character in a query string would otherwise fail the whole batch it was committed in.
    /// </summary>
    public static AuditRecord Clean(AuditRecord record) => record with
    {
        Action = Clean(record.Action)!,
        Outcome = Clean(record.Outcome)!,
        Actor = record.Actor with
        {
            Id = Clean(record.Actor.Id)!,
            Display = Clean(record.Actor.Display)!,
            Role = Clean(record.Actor.Role),
            FacilityId = Clean(record.Actor.FacilityId),
            ClientId = Clean(record.Actor.ClientId),
            SourceIp = Clean(record.Actor.SourceIp),
            PurposeOfUse = Clean(record.Actor.PurposeOfUse),
        },
        ResourceType = Clean(record.ResourceType),
        ResourceIds = Clean(record.ResourceIds),
        PatientIds = Clean(record.PatientIds),
        Query = Clean(record.Query),
        Detail = Clean(record.Detail),
    };

    private static string[]? Clean(IReadOnlyList<string>? values) => values is null ? null : [.. values.Select(v => Clean(v) ?? "")];

    private static string? Clean(string? value)
    {
        if (value is null || (!value.Contains('\0', StringComparison.Ordinal) && value.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0))
        {
            return value;
        }

        var cleaned = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                cleaned.Append(c).Append(value[++i]);
            }
            else
            {
                cleaned.Append(c == '\0' || char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return cleaned.ToString();
    }

    private static void WriteInt64(ArrayBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    private static void WriteInt32(ArrayBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static void WriteString(ArrayBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            WriteInt32(output, -1);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt32(output, length);
        Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(length);
    }

    private static void WriteList(ArrayBufferWriter<byte> output, IReadOnlyList<string>? values)
    {
        WriteInt32(output, values?.Count ?? 0);
        foreach (var value in values ?? [])
        {
            WriteString(output, value);
        }
    }
}

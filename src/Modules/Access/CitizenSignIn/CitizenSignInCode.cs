using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace YTeSo.Access.CitizenSignIn;

/// <summary>
/// A one-time code sent to a citizen, kept in the database (not in memory) so a restart or a second web node does not
/// break a sign-in under way. The code itself is never stored: only its salted hash.
/// </summary>
internal sealed class CitizenSignInCode
{
    /// <summary>Random 128-bit id the browser holds between the two steps (it proves nothing by itself).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>SHA-256 of the E.164 phone number: throttles per phone without keeping the number in clear.</summary>
    public string PhoneKey { get; set; } = string.Empty;

    /// <summary>SHA-256 of id and code.</summary>
    public string CodeHash { get; set; } = string.Empty;

    /// <summary>The Patient ids the code opens, space-separated.</summary>
    public string PatientIds { get; set; } = string.Empty;

    public string? SourceIp { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>When the code was used, killed by too many attempts or replaced by a newer one; null while open.</summary>
    public DateTimeOffset? ClosedAt { get; set; }
}

internal sealed class CitizenSignInCodeConfiguration : IEntityTypeConfiguration<CitizenSignInCode>
{
    public void Configure(EntityTypeBuilder<CitizenSignInCode> code)
    {
        code.ToTable("CitizenSignInCodes");
        code.Property(c => c.Id).HasMaxLength(32);
        code.Property(c => c.PhoneKey).HasMaxLength(64);
        code.Property(c => c.CodeHash).HasMaxLength(64);
        code.Property(c => c.PatientIds).HasMaxLength(1000);
        code.Property(c => c.SourceIp).HasMaxLength(64);
        // The throttles count recent codes per phone and per address.
        code.HasIndex(c => new { c.PhoneKey, c.CreatedAt });
        code.HasIndex(c => new { c.SourceIp, c.CreatedAt });
        code.HasIndex(c => c.CreatedAt);
    }
}

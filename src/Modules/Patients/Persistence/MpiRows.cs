using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace YTeSo.Patients.Persistence;

/// <summary>
/// One source Patient as the MPI knows it: the version last matched, the person it was reduced to (JSON of
/// <see cref="Domain.PersonRecord"/>), and the golden record it belongs to.
/// </summary>
internal sealed class SourceRecordRow
{
    public required string PatientId { get; set; }

    public int Version { get; set; }

    public required string GoldenId { get; set; }

    public required string Person { get; set; }

    public string? FacilityCode { get; set; }

    /// <summary>How the link was made: "auto" (the matcher), "new" (no match: its own golden record), "reviewer".</summary>
    public required string Origin { get; set; }

    public double? Weight { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A blocking key of a source record: candidates for a new record are the records sharing one of its keys.</summary>
internal sealed class BlockingKeyRow
{
    public required string Key { get; set; }

    public required string PatientId { get; set; }
}

/// <summary>A possible match waiting for a person to decide (the review queue).</summary>
internal sealed class ReviewItemRow
{
    public long Id { get; set; }

    public required string PatientId { get; set; }

    public required string CandidateId { get; set; }

    public double Weight { get; set; }

    public double Probability { get; set; }

    public string? Rule { get; set; }

    public string? Conflict { get; set; }

    /// <summary>The field comparisons (JSON), for the side-by-side view.</summary>
    public required string Fields { get; set; }

    /// <summary>"open", "linked", "not-same", "merged", or "obsolete" (one of the records changed or left).</summary>
    public required string Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? Reason { get; set; }
}

/// <summary>A reviewer's "not the same person": the matcher never links this pair again (ordered ids).</summary>
internal sealed class NonMatchRow
{
    public required string PatientA { get; set; }

    public required string PatientB { get; set; }

    public required string DecidedBy { get; set; }

    public DateTimeOffset DecidedAt { get; set; }

    public string? Reason { get; set; }
}

internal sealed class MpiRowConfiguration :
    IEntityTypeConfiguration<SourceRecordRow>, IEntityTypeConfiguration<BlockingKeyRow>, IEntityTypeConfiguration<ReviewItemRow>, IEntityTypeConfiguration<NonMatchRow>
{
    public void Configure(EntityTypeBuilder<SourceRecordRow> source)
    {
        source.ToTable("mpi_sources");
        source.HasKey(s => s.PatientId);
        source.Property(s => s.PatientId).HasMaxLength(64);
        source.Property(s => s.GoldenId).HasMaxLength(64);
        source.Property(s => s.FacilityCode).HasMaxLength(16);
        source.Property(s => s.Origin).HasMaxLength(16);
        source.HasIndex(s => s.GoldenId);
        source.HasIndex(s => s.FacilityCode);
    }

    public void Configure(EntityTypeBuilder<BlockingKeyRow> key)
    {
        key.ToTable("mpi_blocking_keys");
        key.HasKey(k => new { k.Key, k.PatientId });
        key.Property(k => k.Key).HasMaxLength(96);
        key.Property(k => k.PatientId).HasMaxLength(64);
        key.HasIndex(k => k.PatientId);
    }

    public void Configure(EntityTypeBuilder<ReviewItemRow> item)
    {
        item.ToTable("mpi_review_items");
        item.Property(i => i.PatientId).HasMaxLength(64);
        item.Property(i => i.CandidateId).HasMaxLength(64);
        item.Property(i => i.Status).HasMaxLength(16);
        item.Property(i => i.DecidedBy).HasMaxLength(128);
        item.Property(i => i.Reason).HasMaxLength(1000);
        item.HasIndex(i => new { i.Status, i.CreatedAt });
        item.HasIndex(i => new { i.PatientId, i.CandidateId });
    }

    public void Configure(EntityTypeBuilder<NonMatchRow> pair)
    {
        pair.ToTable("mpi_non_matches");
        pair.HasKey(p => new { p.PatientA, p.PatientB });
        pair.Property(p => p.PatientA).HasMaxLength(64);
        pair.Property(p => p.PatientB).HasMaxLength(64);
        pair.Property(p => p.DecidedBy).HasMaxLength(128);
        pair.Property(p => p.Reason).HasMaxLength(1000);
    }
}

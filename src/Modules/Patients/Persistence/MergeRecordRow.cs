using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace YTeSo.Patients.Persistence;

/// <summary>Where a merge stands.</summary>
internal enum MergeStatus
{
    /// <summary>Recorded before the repository transaction; stays so only if the host stopped during it.</summary>
    Pending = 0,
    Completed = 1,
    Undone = 2,
}

/// <summary>
/// One merge of Patient/<see cref="SourcePatientId"/> into Patient/<see cref="TargetPatientId"/>: who, when, why, and
/// every re-pointed resource with its versions and changed paths, which is what makes the unmerge exact (docs/mpi.md).
/// </summary>
internal sealed class MergeRecordRow
{
    public Guid Id { get; set; }

    public required string SourcePatientId { get; set; }

    public required string TargetPatientId { get; set; }

    public string? Reason { get; set; }

    public required string ActorId { get; set; }

    public required string ActorDisplay { get; set; }

    public DateTimeOffset MergedAt { get; set; }

    public MergeStatus Status { get; set; }

    public int SourceVersionBefore { get; set; }

    public int? SourceVersionAfter { get; set; }

    public int TargetVersionBefore { get; set; }

    public int? TargetVersionAfter { get; set; }

    /// <summary>Patient.active of the source before the merge (null when it was absent).</summary>
    public bool? SourceWasActive { get; set; }

    public DateTimeOffset? UndoneAt { get; set; }

    public string? UndoneById { get; set; }

    public string? UndoReason { get; set; }

    public List<MergedReferenceRow> References { get; set; } = [];
}

/// <summary>A resource the merge re-pointed from the source to the target.</summary>
internal sealed class MergedReferenceRow
{
    public int Ordinal { get; set; }

    public required string ResourceType { get; set; }

    public required string ResourceId { get; set; }

    public int VersionBefore { get; set; }

    public int? VersionAfter { get; set; }

    /// <summary>The changed reference paths, one per line: the path, a space, the reference text as it was.</summary>
    public required string Paths { get; set; }
}

internal sealed class MergeRecordRowConfiguration : IEntityTypeConfiguration<MergeRecordRow>
{
    public void Configure(EntityTypeBuilder<MergeRecordRow> builder)
    {
        builder.ToTable("Merges");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.SourcePatientId).HasMaxLength(64);
        builder.Property(m => m.TargetPatientId).HasMaxLength(64);
        builder.Property(m => m.ActorId).HasMaxLength(200);
        builder.Property(m => m.ActorDisplay).HasMaxLength(200);
        builder.Property(m => m.UndoneById).HasMaxLength(200);
        builder.Property(m => m.Reason).HasMaxLength(1000);
        builder.Property(m => m.UndoReason).HasMaxLength(1000);
        builder.HasIndex(m => m.SourcePatientId);
        builder.HasIndex(m => m.TargetPatientId);
        builder.OwnsMany(m => m.References, r =>
        {
            r.ToTable("MergedReferences");
            r.WithOwner().HasForeignKey("MergeId");
            r.HasKey("MergeId", nameof(MergedReferenceRow.Ordinal));
            r.Property(x => x.Ordinal).ValueGeneratedNever();
            r.Property(x => x.ResourceType).HasMaxLength(64);
            r.Property(x => x.ResourceId).HasMaxLength(64);
        });
    }
}

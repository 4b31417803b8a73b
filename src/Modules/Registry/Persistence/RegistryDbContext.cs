using Microsoft.EntityFrameworkCore;
using YTeSo.Registry.AdministrativeUnits;
using YTeSo.Registry.Licensing;

namespace YTeSo.Registry.Persistence;

/// <summary>The Registry module's own tables. One migration set per engine (the derived contexts below).</summary>
internal abstract class RegistryDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<AdministrativeUnitRow> AdministrativeUnits => Set<AdministrativeUnitRow>();

    public DbSet<CommuneSuccessionRow> CommuneSuccessions => Set<CommuneSuccessionRow>();

    public DbSet<LicenceApplicationRow> LicenceApplications => Set<LicenceApplicationRow>();

    public DbSet<ApplicationStepRow> ApplicationSteps => Set<ApplicationStepRow>();

    public DbSet<ApplicationAttachmentRow> ApplicationAttachments => Set<ApplicationAttachmentRow>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.Entity<AdministrativeUnitRow>(unit =>
        {
            unit.ToTable("administrative_units");
            unit.Property(u => u.Code).HasMaxLength(5);
            unit.Property(u => u.Level).HasMaxLength(10);
            unit.Property(u => u.Type).HasMaxLength(20);
            unit.Property(u => u.Name).HasMaxLength(200);
            unit.Property(u => u.ParentCode).HasMaxLength(5);
            unit.Property(u => u.ProvinceCode).HasMaxLength(2);
            // A code is reused across the reform, so the key is the code within its level and validity start.
            unit.HasIndex(u => new { u.Level, u.Code, u.ValidFrom }).IsUnique();
        });

        builder.Entity<CommuneSuccessionRow>(succession =>
        {
            succession.ToTable("commune_successions");
            succession.Property(s => s.LegacyLevel).HasMaxLength(10);
            succession.Property(s => s.LegacyCode).HasMaxLength(5);
            succession.Property(s => s.CurrentCode).HasMaxLength(5);
            succession.HasIndex(s => new { s.LegacyLevel, s.LegacyCode, s.CurrentCode }).IsUnique();
            succession.HasIndex(s => s.CurrentCode);
        });

        builder.Entity<LicenceApplicationRow>(application =>
        {
            application.ToTable("licence_applications");
            application.Property(a => a.Number).HasMaxLength(20);
            application.Property(a => a.Kind).HasConversion<string>().HasMaxLength(30);
            application.Property(a => a.Status).HasConversion<string>().HasMaxLength(30);
            application.Property(a => a.ApplicantName).HasMaxLength(200);
            application.Property(a => a.PersonalId).HasMaxLength(12);
            application.Property(a => a.Phone).HasMaxLength(20);
            application.Property(a => a.Profession).HasMaxLength(100);
            application.Property(a => a.RequestedScope).HasMaxLength(1000);
            application.Property(a => a.GrantedScope).HasMaxLength(1000);
            application.Property(a => a.FacilityCode).HasMaxLength(5);
            application.Property(a => a.LicenceNumber).HasMaxLength(50);
            application.Property(a => a.PractitionerId).HasMaxLength(64);
            application.Property(a => a.VerificationCode).HasMaxLength(32);
            application.Property(a => a.Revision).IsConcurrencyToken();
            application.HasIndex(a => a.Number).IsUnique();
            application.HasIndex(a => a.LicenceNumber).IsUnique();
            application.HasIndex(a => new { a.Kind, a.LicenceSequence }).IsUnique();
            application.HasIndex(a => new { a.Status, a.SubmittedAt });
            application.HasMany(a => a.Steps).WithOne().HasForeignKey(s => s.ApplicationId);
            application.HasMany(a => a.Attachments).WithOne().HasForeignKey(s => s.ApplicationId);
        });

        builder.Entity<ApplicationStepRow>(step =>
        {
            step.ToTable("licence_application_steps");
            step.Property(s => s.Action).HasConversion<string>().HasMaxLength(30);
            step.Property(s => s.Actor).HasMaxLength(200);
            step.Property(s => s.Note).HasMaxLength(4000);
        });

        builder.Entity<ApplicationAttachmentRow>(attachment =>
        {
            attachment.ToTable("licence_application_attachments");
            attachment.Property(a => a.FileName).HasMaxLength(255);
            attachment.Property(a => a.ContentType).HasMaxLength(100);
        });
    }
}

/// <summary>The SQLite flavour: its own file (<c>registry.db</c>) beside the FHIR store.</summary>
internal sealed class SqliteRegistryDbContext(DbContextOptions<SqliteRegistryDbContext> options) : RegistryDbContext(options);

/// <summary>The PostgreSQL flavour: schema <c>registry</c> in the platform's database.</summary>
internal sealed class PostgresRegistryDbContext(DbContextOptions<PostgresRegistryDbContext> options) : RegistryDbContext(options)
{
    public const string Schema = "registry";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.HasDefaultSchema(Schema);
        base.OnModelCreating(builder);
    }
}

using Microsoft.EntityFrameworkCore;
using YTeSo.Registry.AdministrativeUnits;

namespace YTeSo.Registry.Persistence;

/// <summary>The Registry module's own tables. One migration set per engine (the derived contexts below).</summary>
internal abstract class RegistryDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<AdministrativeUnitRow> AdministrativeUnits => Set<AdministrativeUnitRow>();

    public DbSet<CommuneSuccessionRow> CommuneSuccessions => Set<CommuneSuccessionRow>();

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

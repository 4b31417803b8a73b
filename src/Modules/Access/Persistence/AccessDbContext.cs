using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using YTeSo.Access.Accounts;
using YTeSo.Access.BreakGlass;
using YTeSo.Access.CitizenSignIn;

namespace YTeSo.Access.Persistence;

/// <summary>
/// The Access module's own tables: staff accounts (ASP.NET Core Identity), their facility roles, OAuth clients and
/// tokens (OpenIddict), break-glass grants, citizens' pending sign-in codes. One migration set per engine (the derived contexts below).
/// </summary>
internal abstract class AccessDbContext(DbContextOptions options) : IdentityUserContext<StaffAccount>(options)
{
    public DbSet<StaffAssignment> Assignments => Set<StaffAssignment>();

    public DbSet<BreakGlassGrant> BreakGlassGrants => Set<BreakGlassGrant>();

    public DbSet<CitizenSignInCode> CitizenSignInCodes => Set<CitizenSignInCode>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();

        builder.Entity<StaffAccount>(account =>
        {
            account.Property(a => a.DisplayName).HasMaxLength(200);
            account.HasMany(a => a.Assignments).WithOne().HasForeignKey(a => a.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<StaffAssignment>(assignment =>
        {
            assignment.ToTable("StaffAssignments");
            assignment.Property(a => a.FacilityId).HasMaxLength(64);
            assignment.Property(a => a.Role).HasMaxLength(32);
            assignment.HasIndex(a => new { a.AccountId, a.FacilityId, a.Role }).IsUnique();
        });

        builder.Entity<BreakGlassGrant>(grant =>
        {
            grant.ToTable("BreakGlassGrants");
            grant.Property(g => g.Reason).HasMaxLength(1000);
            grant.Property(g => g.PatientId).HasMaxLength(64);
            grant.Property(g => g.FacilityId).HasMaxLength(64);
            // The resolver looks up a clinician's open grants on every request.
            grant.HasIndex(g => new { g.AccountId, g.ExpiresAt });
            grant.HasIndex(g => g.GrantedAt);
        });

        builder.ApplyConfiguration(new CitizenSignInCodeConfiguration());
    }
}

/// <summary>The SQLite flavour: its own file (<c>access.db</c>) beside the FHIR store.</summary>
internal sealed class SqliteAccessDbContext(DbContextOptions<SqliteAccessDbContext> options) : AccessDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date-time type EF can compare in SQL; times are stored UTC as sortable integers.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

/// <summary>The PostgreSQL flavour: schema <c>access</c> in the platform's database.</summary>
internal sealed class PostgresAccessDbContext(DbContextOptions<PostgresAccessDbContext> options) : AccessDbContext(options)
{
    public const string Schema = "access";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.HasDefaultSchema(Schema);
        base.OnModelCreating(builder);
    }
}

using Microsoft.EntityFrameworkCore;

namespace YTeSo.Patients.Persistence;

/// <summary>
/// The MPI's own tables (link state, review queue, merges). Clinical data stays in the FHIR repository; these tables
/// say which source records are one person. One migration set per engine (the derived contexts below).
/// </summary>
internal abstract class PatientsDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<SourceRecordRow> Sources => Set<SourceRecordRow>();

    public DbSet<BlockingKeyRow> BlockingKeys => Set<BlockingKeyRow>();

    public DbSet<ReviewItemRow> ReviewItems => Set<ReviewItemRow>();

    public DbSet<NonMatchRow> NonMatches => Set<NonMatchRow>();

    public DbSet<MergeRecordRow> Merges => Set<MergeRecordRow>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        // Each feature adds its tables with one line here.
        var mpi = new MpiRowConfiguration();
        builder.ApplyConfiguration<SourceRecordRow>(mpi);
        builder.ApplyConfiguration<BlockingKeyRow>(mpi);
        builder.ApplyConfiguration<ReviewItemRow>(mpi);
        builder.ApplyConfiguration<NonMatchRow>(mpi);
        builder.ApplyConfiguration(new MergeRecordRowConfiguration());
    }
}

/// <summary>The SQLite flavour: its own file (<c>patients.db</c>) beside the FHIR store.</summary>
internal sealed class SqlitePatientsDbContext(DbContextOptions<SqlitePatientsDbContext> options) : PatientsDbContext(options);

/// <summary>The PostgreSQL flavour: schema <c>patients</c> in the platform's database.</summary>
internal sealed class PostgresPatientsDbContext(DbContextOptions<PostgresPatientsDbContext> options) : PatientsDbContext(options)
{
    public const string Schema = "patients";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.HasDefaultSchema(Schema);
        base.OnModelCreating(builder);
    }
}

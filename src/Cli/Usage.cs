using Spectre.Console;

namespace YTeSo.Cli;

internal static class Usage
{
    /// <summary>Exit code for a command line that could not be understood (sysexits.h EX_USAGE).</summary>
    public const int BadUsage = 64;

    public static int Show(IAnsiConsole console)
    {
        console.MarkupLine("[bold]yteso[/]: YTeSo command line");
        console.WriteLine();
        console.WriteLine("  yteso import fhir <files|dirs|archives...> [--data <dir>] [--postgres <connection string>]");
        console.WriteLine("      .json (a resource or a transaction/batch/collection Bundle), .ndjson (FHIR Bulk Data),");
        console.WriteLine("      directories (recursively) and .tgz/.tar.gz archives of those.");
        console.WriteLine("      Exit code 0: all imported; 1: something was rejected; 2: imported, but references dangle.");
        console.WriteLine("  yteso import admin-units <folder> [--data <dir>] [--postgres <connection string>]");
        console.WriteLine("      administrative units before and after the 1 July 2025 reform and the old-to-new commune mapping, from");
        console.WriteLine("      communes-2025-with-location.csv, gso-legacy-communes-2025-07-18.csv, legacy-to-2025-communes.csv (../shared/data/admin-units).");
        console.WriteLine("  yteso import icd10 <file.csv|file.xlsx> [--version V] [--id ID] [--from yyyy-MM-dd] [--to yyyy-MM-dd]");
        console.WriteLine("      the Ministry of Health's ICD-10 list (QĐ 4469/QĐ-BYT layout, columns found by header name) as a version of");
        console.WriteLine("      CodeSystem http://hl7.org/fhir/sid/icd-10; any bad row: exit code 1, nothing written (docs/terminology.md).");
        console.WriteLine("  yteso import code-list <file.csv>             a code list in the compact form of the shipped lists (docs/terminology.md).");
        console.WriteLine("  yteso seed-demo [--patients N] [--data <dir>] [--postgres <connection string>]");
        console.WriteLine("  yteso audit verify [--expect-head SEQ:HASH]   walks the audit hash chain; exit code 0: intact, 3: broken");
        console.WriteLine("      (the message names the first broken seq). --expect-head: a head recorded earlier must still be in it.");
        console.WriteLine("  yteso audit head                              prints SEQ:HASH of the last record, to keep outside the system");
        console.WriteLine("  yteso audit export [--from yyyy-MM-dd] [--to yyyy-MM-dd] [--out <file>]");
        console.WriteLine("      FHIR R4 AuditEvent resources as NDJSON (to the console without --out); days in Vietnam time, --to inclusive.");
        console.WriteLine("  yteso mpi dedupe [--dry-run]                  links every Patient in the database at once (the MPI's batch");
        console.WriteLine("      deduplication): Patients the MPI never saw get their source row, reviewers' decisions stand, golden records");
        console.WriteLine("      are recomposed; a second run changes nothing. --dry-run: print what would change, write nothing.");
        console.WriteLine("  yteso mpi report [--csv <file>]               per facility: records, persons, records registered twice at the");
        console.WriteLine("      same facility, persons also seen at other facilities, open review items (CSV: UTF-8, one line a facility).");
        console.WriteLine();
        console.WriteLine("Database: SQLite in --data (default: src/Web/data of the repository the command runs in, the folder");
        console.WriteLine("'dotnet run --project src/Web' uses; ./data elsewhere), or PostgreSQL with --postgres. The web host's");
        console.WriteLine("environment variables work too: Database__Provider, Database__DataDirectory, ConnectionStrings__Postgres.");
        return BadUsage;
    }
}

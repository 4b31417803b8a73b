using YTeSo.Access;
using YTeSo.Fhir;
using YTeSo.Fhir.DemoData;
using YTeSo.Patients;
using YTeSo.Platform.Auditing;
using YTeSo.Platform.Persistence;
using YTeSo.Registry;
using YTeSo.Web;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddPlatform(builder.Configuration);      // database provider switch, clock, audit trail
builder.Services.AddFhir(builder.Configuration);          // FHIR R4 repository: store, search, REST API
builder.Services.AddAccess(builder.Configuration);        // accounts, sign-in, OAuth 2 / SMART, facility scope, break-glass
builder.Services.AddRegistry(builder.Configuration);      // reference data: administrative units before and after the 2025 reform
builder.Services.AddPatients(builder.Configuration);      // master patient index: identifiers, matching, golden records, merge
builder.Services.AddWebUi();                               // Blazor shell (MudBlazor), Vietnamese UI
builder.Services.AddHardening(builder.Configuration);     // rate limits, secure headers, CORS where configured

var app = builder.Build();

await app.Services.InitializeFhirAsync();                  // schema migrations for the configured database
await app.Services.InitializeAuditTrailAsync();            // the audit trail: a host that cannot audit does not start
await app.Services.InitializeAccessAsync();                // access tables, first administrator and clients from configuration
await app.Services.InitializeRegistryAsync();              // registry tables (units are loaded with `yteso import admin-units`)
await app.Services.InitializePatientsAsync();              // MPI tables
await app.Services.SeedDemoDataIfEmptyAsync(app.Configuration); // synthetic demo province on first start (Demo:SeedOnFirstStart)

app.UseHardening();
app.UseAccess();                                           // every endpoint below requires sign-in unless marked anonymous
app.UseRateLimits();
app.MapHealth();
app.MapAccess();
app.MapRegistry();
app.MapPatients();
app.MapFhir("/fhir");
app.MapWebUi();

await app.RunAsync();

/// <summary>Entry point, public for WebApplicationFactory in the integration tests.</summary>
public partial class Program;

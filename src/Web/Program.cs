using YTeSo.Fhir;
using YTeSo.Fhir.DemoData;
using YTeSo.Platform.Auditing;
using YTeSo.Platform.Persistence;
using YTeSo.Web;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddPlatform(builder.Configuration);      // database provider switch, clock, audit trail
builder.Services.AddFhir(builder.Configuration);          // FHIR R4 repository: store, search, REST API
builder.Services.AddWebUi();                               // Blazor shell (MudBlazor), Vietnamese UI

var app = builder.Build();

await app.Services.InitializeFhirAsync();                  // schema migrations for the configured database
await app.Services.InitializeAuditTrailAsync();            // the audit trail's tables (SQLite: audit.db beside fhir.db)
await app.Services.SeedDemoDataIfEmptyAsync(app.Configuration); // synthetic demo province on first start (Demo:SeedOnFirstStart)

app.MapFhir("/fhir");
app.MapWebUi();

await app.RunAsync();

/// <summary>Entry point, public for WebApplicationFactory in the integration tests.</summary>
public partial class Program;

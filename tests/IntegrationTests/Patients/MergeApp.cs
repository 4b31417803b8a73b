using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Fhir.Contracts;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Patients.Contracts;

namespace YTeSo.IntegrationTests.Patients;

/// <summary>
/// The real host with an MPI steward client (scope <c>yteso/mpi</c>), a listener that keeps every identity event, and
/// a hook that runs just before the merge's transaction reaches the repository (to race it deterministically).
/// </summary>
public sealed class MergeApp : YTeSoApp
{
    public const string StewardClientId = "mpi-steward";
    public const string StewardSecret = "mpi-steward-secret-0123456789abcdef";

    public RecordingListener Listener { get; } = new();

    /// <summary>Runs once, inside the next transaction Bundle call, before the bundle is processed.</summary>
    public Func<IFhirRepository, Task>? BeforeNextBundle { get; set; }

    public string StewardToken { get; private set; } = string.Empty;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Security:Clients:1:ClientId"] = StewardClientId,
        ["Security:Clients:1:Secret"] = StewardSecret,
        ["Security:Clients:1:Scopes"] = "system/*.cruds yteso/mpi",
        ["Security:Clients:1:SeesSensitive"] = "true",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IPatientIdentityListener>(Listener);
            services.AddSingleton<IPatientIdentityListener, FailingListener>();
            var real = services.Last(d => d.ServiceType == typeof(IFhirRepository));
            services.AddSingleton<IFhirRepository>(sp => new Hooked((IFhirRepository)real.ImplementationFactory!(sp), this));
        });
    }

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        StewardToken = await RequestTokenAsync(StewardClientId, StewardSecret, "system/*.cruds yteso/mpi");
    }

    /// <summary>A client of the MPI steward at the host's root (FHIR JSON accepted).</summary>
    public HttpClient CreateStewardClient()
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StewardToken);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        return client;
    }

    public sealed class RecordingListener : IPatientIdentityListener
    {
        public System.Collections.Concurrent.ConcurrentQueue<PatientIdentityChanged> Changes { get; } = new();

        public Task OnChangedAsync(PatientIdentityChanged change, CancellationToken cancellationToken)
        {
            Changes.Enqueue(change);
            return Task.CompletedTask;
        }
    }

    /// <summary>Registered after the recording one: its failure must be logged, never undo the merge.</summary>
    private sealed class FailingListener : IPatientIdentityListener
    {
        public Task OnChangedAsync(PatientIdentityChanged change, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a listener that always fails");
    }

    private sealed class Hooked(IFhirRepository inner, MergeApp app) : IFhirRepository
    {
        public Task<FhirResourceVersion> CreateAsync(FhirAccess access, Resource resource, CancellationToken cancellationToken) => inner.CreateAsync(access, resource, cancellationToken);

        public Task<Resource?> ReadAsync(FhirAccess access, string resourceType, string id, CancellationToken cancellationToken) => inner.ReadAsync(access, resourceType, id, cancellationToken);

        public Task<FhirSearchPage> SearchAsync(FhirAccess access, string resourceType, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken) =>
            inner.SearchAsync(access, resourceType, parameters, cancellationToken);

        public Task<IReadOnlyList<FhirResourceVersion>> HistoryAsync(FhirAccess access, string resourceType, string id, CancellationToken cancellationToken) => inner.HistoryAsync(access, resourceType, id, cancellationToken);

        public Task<IReadOnlyDictionary<string, long>> CountByTypeAsync(FhirAccess access, CancellationToken cancellationToken) => inner.CountByTypeAsync(access, cancellationToken);

        public Task<FhirReferrers> FindReferrersAsync(FhirAccess access, string resourceType, string id, int limit, CancellationToken cancellationToken) =>
            inner.FindReferrersAsync(access, resourceType, id, limit, cancellationToken);

        public async Task<Bundle> ProcessBundleAsync(FhirAccess access, Bundle bundle, CancellationToken cancellationToken)
        {
            if (app.BeforeNextBundle is { } hook)
            {
                app.BeforeNextBundle = null;
                await hook(inner);
            }

            return await inner.ProcessBundleAsync(access, bundle, cancellationToken);
        }
    }
}

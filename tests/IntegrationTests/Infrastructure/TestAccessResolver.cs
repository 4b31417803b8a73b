using Microsoft.AspNetCore.Http;
using YTeSo.Fhir.Contracts;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Infrastructure;

/// <summary>
/// TEMPORARY test wiring until the Access module lands (the lead replaces it with real OAuth tokens and re-runs the same
/// scenarios): every request gets <see cref="Current"/>, which defaults to province-wide full access for an actor named
/// "integration-tests". Access tests set <see cref="Current"/> per test to act as a facility, a citizen, a statistics
/// account... Nothing like this exists in src/: production has no open default.
/// </summary>
public sealed class TestAccessResolver : IFhirAccessResolver
{
    public static FhirAccess ProvinceWide() => new()
    {
        Actor = new AuditActor("integration-tests", "integration-tests"),
        Scopes = new Dictionary<string, FhirInteractions> { ["*"] = FhirInteractions.All },
    };

    public FhirAccess Current { get; set; } = ProvinceWide();

    public ValueTask<FhirAccess> ResolveAsync(HttpContext context, CancellationToken cancellationToken) => ValueTask.FromResult(Current);
}

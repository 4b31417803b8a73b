using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Access.Authorization;
using YTeSo.Fhir.Contracts;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Infrastructure;

/// <summary>
/// Test wiring for the repository's filter tests (tests/IntegrationTests/Fhir/Access): they pin an exact
/// <see cref="FhirAccess"/> (a facility, a citizen, a statistics account...) in <see cref="Current"/> to probe the SQL
/// filter combination by combination. When nothing is pinned, requests go through the real resolver from their real
/// token, which is what the end-to-end access tests under Access/ rely on. Nothing like this exists in src/.
/// </summary>
public sealed class TestAccessResolver
{
    public static FhirAccess ProvinceWide() => new()
    {
        Actor = new AuditActor("integration-tests", "integration-tests"),
        Scopes = new Dictionary<string, FhirInteractions> { ["*"] = FhirInteractions.All },
    };

    /// <summary>The pinned access, or null to use the caller's real token.</summary>
    public FhirAccess? Current { get; set; }

    internal IFhirAccessResolver For(IServiceProvider services) => new Pinned(this, ActivatorUtilities.CreateInstance<AccessResolver>(services));

    private sealed class Pinned(TestAccessResolver owner, AccessResolver real) : IFhirAccessResolver
    {
        public ValueTask<FhirAccess> ResolveAsync(HttpContext context, CancellationToken cancellationToken) =>
            owner.Current is { } pinned ? ValueTask.FromResult(pinned) : real.ResolveAsync(context, cancellationToken);
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

using YTeSo.Fhir.Contracts;

namespace YTeSo.Fhir.Api;

/// <summary>
/// Resolves the caller's <see cref="FhirAccess"/> once per request, through the <see cref="IFhirAccessResolver"/> the
/// Access module registers, and keeps it on the request for the handlers (<see cref="FhirAccessExtensions.GetFhirAccess"/>).
/// Every /fhir route but <c>metadata</c> runs behind it. There is no default: without a registered resolver every
/// request fails, so a host can never serve clinical data to an unidentified caller by omission.
/// </summary>
internal sealed class FhirAccessFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        await context.HttpContext.ResolveFhirAccessAsync(context.HttpContext.RequestAborted);
        return await next(context);
    }
}

/// <summary>The caller's access on the current request, for FHIR handlers and web pages.</summary>
internal static class FhirAccessExtensions
{
    private sealed record FhirAccessFeature(FhirAccess Access);

    /// <summary>Resolves (once) and stores the caller's access on <paramref name="context"/>.</summary>
    public static async ValueTask<FhirAccess> ResolveFhirAccessAsync(this HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Features.Get<FhirAccessFeature>() is { } known)
        {
            return known.Access;
        }

        var resolver = context.RequestServices.GetService<IFhirAccessResolver>()
            ?? throw new InvalidOperationException("No IFhirAccessResolver is registered: the FHIR repository refuses to serve callers it cannot identify.");
        var access = await resolver.ResolveAsync(context, cancellationToken);
        context.Features.Set(new FhirAccessFeature(access));
        return access;
    }

    /// <summary>The access <see cref="FhirAccessFilter"/> resolved for this request.</summary>
    public static FhirAccess GetFhirAccess(this HttpContext context) =>
        context.Features.Get<FhirAccessFeature>()?.Access
        ?? throw new InvalidOperationException("The caller's FHIR access was not resolved: the route is missing FhirAccessFilter.");
}

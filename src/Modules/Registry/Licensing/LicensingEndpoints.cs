using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using YTeSo.Fhir.Contracts;
using YTeSo.Platform.Auditing;

namespace YTeSo.Registry.Licensing;

/// <summary>The officer's download of an application's document (<c>/giay-phep/tiep-nhan/{id}/tep/{file}</c>), audited.</summary>
internal static class LicensingEndpoints
{
    public static IEndpointRouteBuilder MapLicensing(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/giay-phep/tiep-nhan/{id:long}/tep/{file:long}", DownloadAsync).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> DownloadAsync(long id, long file, HttpContext context, IFhirAccessResolver resolver, LicensingWorkflow workflow, IAuditTrail audit)
    {
        var access = await resolver.ResolveAsync(context, context.RequestAborted);
        if (!LicensingAccess.MayProcess(context.User, access))
        {
            return TypedResults.Problem("Applications are open to the Department's licensing officers only.", statusCode: 403);
        }

        if (await workflow.AttachmentAsync(id, file, context.RequestAborted) is not { } found)
        {
            return TypedResults.NotFound();
        }

        await audit.RecordAsync(new AuditRecord(AuditActions.Read, AuditOutcomes.Success, access.Actor, "LicenceApplicationAttachment", [$"{id}/{file}"]), context.RequestAborted);
        // Served as a download, never rendered in the page's origin: an uploaded file is not trusted content.
        return TypedResults.File(found.Content, found.ContentType, found.FileName);
    }
}

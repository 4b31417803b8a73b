using Microsoft.AspNetCore.Http;

namespace YTeSo.Registry.Licensing;

/// <summary>The files of a multipart form post, read whole (each at most <see cref="LicensingWorkflow.MaxFileBytes"/>; larger ones are kept empty so the workflow names them).</summary>
internal static class LicensingFiles
{
    public static async Task<IReadOnlyList<ApplicationFile>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return [];
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var files = new List<ApplicationFile>();
        // A file input left empty posts one part with no name and no bytes: that is "no file", not a bad one.
        foreach (var file in form.Files.Where(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName)))
        {
            if (file.Length > LicensingWorkflow.MaxFileBytes)
            {
                files.Add(new ApplicationFile(file.FileName, file.ContentType, []));
                continue;
            }

            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, cancellationToken);
            files.Add(new ApplicationFile(file.FileName, file.ContentType, buffer.ToArray()));
        }

        return files;
    }
}

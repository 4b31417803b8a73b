using System.Globalization;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using YTeSo.Fhir.Access;
using YTeSo.Fhir.Api;
using YTeSo.Fhir.Contracts;
using YTeSo.Fhir.Repository;
using YTeSo.Fhir.Search;
using YTeSo.Fhir.Storage;
using YTeSo.Platform.Persistence;

namespace YTeSo.Fhir.Operations;

/// <summary>
/// Bulk Data $export (HL7 FHIR Bulk Data Access 2.0): kick-off answers 202 with a status URL, the export runs in the
/// background writing one NDJSON file per resource type, and the status URL answers 202 until the manifest is ready.
/// </summary>
internal static class ExportEndpoints
{
    public static Task Start(HttpContext context, FhirRepository repository) => StartAsync(context, repository, null, null);

    public static Task StartType(HttpContext context, string type, FhirRepository repository)
    {
        repository.EnsureType(type);
        return StartAsync(context, repository, [type], null);
    }

    public static Task StartPatient(HttpContext context, FhirRepository repository) => StartAsync(context, repository, null, "Patient");

    private static async System.Threading.Tasks.Task StartAsync(HttpContext context, FhirRepository repository, string[]? onlyTypes, string? group)
    {
        // bulk-data kick-off: "Prefer: respond-async" is required.
        if (!context.Request.Headers["Prefer"].Any(p => p?.Contains("respond-async", StringComparison.OrdinalIgnoreCase) == true))
        {
            throw FhirOperationException.BadRequest("$export runs asynchronously: send 'Prefer: respond-async'.");
        }

        var typeParameter = context.Request.Query["_type"].ToString();
        var types = onlyTypes ?? (typeParameter.Length > 0 ? typeParameter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null);
        DateTimeOffset? since = null;
        if (!string.IsNullOrEmpty(context.Request.Query["_since"]))
        {
            since = Indexing.FhirDateRange.TryParse(context.Request.Query["_since"], out var range)
                ? new DateTimeOffset(range.Low, TimeSpan.Zero)
                : throw FhirOperationException.BadRequest("_since is not a FHIR instant.");
        }

        var request = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}";
        var job = await repository.StartExportAsync(context.GetFhirAccess(), request, types, since, group == "Patient", FhirEndpoints.BaseUrl(context.Request), context.RequestAborted);
        context.Response.StatusCode = 202;
        context.Response.Headers.ContentLocation = $"{FhirEndpoints.BaseUrl(context.Request)}/$export-status/{job}";
    }

    public static async System.Threading.Tasks.Task Status(HttpContext context, string job, ExportJobs jobs)
    {
        var state = await jobs.GetAsync(context.GetFhirAccess(), job, context.RequestAborted) ?? throw FhirOperationException.NotFound($"No export job '{job}'.");
        switch (state.Status)
        {
            case "completed":
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                context.Response.Headers.Expires = DateTimeOffset.UtcNow.AddDays(1).ToString("R", CultureInfo.InvariantCulture);
                await context.Response.WriteAsync(state.Manifest!, context.RequestAborted);
                break;
            case "failed":
                throw new FhirOperationException(500, OperationOutcome.IssueType.Exception, "The export failed: " + state.Error);
            default:
                context.Response.StatusCode = 202;
                context.Response.Headers["X-Progress"] = state.Status;
                context.Response.Headers.RetryAfter = "1";
                break;
        }
    }

    public static async System.Threading.Tasks.Task Cancel(HttpContext context, string job, ExportJobs jobs)
    {
        if (!await jobs.DeleteAsync(context.GetFhirAccess(), job, context.RequestAborted))
        {
            throw FhirOperationException.NotFound($"No export job '{job}'.");
        }

        context.Response.StatusCode = 202;
    }

    public static async System.Threading.Tasks.Task File(HttpContext context, string job, string file, FhirRepository repository)
    {
        var path = await repository.ExportFileAsync(context.GetFhirAccess(), job, file, context.RequestAborted);
        context.Response.ContentType = FhirMediaTypes.NdJson;
        await context.Response.SendFileAsync(path, context.RequestAborted);
    }
}

/// <summary>Export jobs: state in the export_jobs table, files under the data directory, work on the thread pool.</summary>
/// <remarks>
/// A job belongs to the caller who started it (its audit actor id, in <c>requested_by</c>): its status, files and
/// cancellation answer only to that caller, and to anyone else as if the job did not exist (Bulk Data 2.0 binds the
/// status and file URLs to the kick-off's client; a job id leaked in a log or a shared proxy must not leak the data).
/// A job exports what its caller may see: it keeps the caller's <see cref="FhirAccess"/> and applies the same access
/// condition as a search (<see cref="AccessSql"/>) to every row it writes; <c>_type</c> was already narrowed to the
/// types the caller may read and search (<see cref="FhirRepository.StartExportAsync"/>).
/// </remarks>
internal sealed class ExportJobs(FhirStore store, DatabaseOptions options, TimeProvider clock, ILogger<ExportJobs> logger, AccessSql accessSql)
{
    private string Root => Path.Combine(Path.GetFullPath(options.DataDirectory), "exports");

    public async Task<string> StartAsync(FhirAccess access, string request, string[]? types, DateTimeOffset? since, bool patientCompartment, string baseUrl, CancellationToken cancellationToken)
    {
        var job = Guid.CreateVersion7().ToString("N");
        await ExecuteAsync(
            "INSERT INTO export_jobs (job_id, status, request_url, created_at, requested_by) VALUES (@j, 'in-progress', @r, @c, @o)",
            cancellationToken,
            ("@j", job),
            ("@r", request),
            ("@c", clock.GetUtcNow().UtcTicks),
            ("@o", access.Actor.Id));
        _ = System.Threading.Tasks.Task.Run(() => RunAsync(access, job, request, types, since, patientCompartment, baseUrl), CancellationToken.None);
        return job;
    }

    /// <summary>
    /// Jobs run on the thread pool of one process; those still in progress at start-up were cut off by a restart.
    /// Marking them failed lets a client polling the status URL learn to start again instead of waiting forever.
    /// </summary>
    /// <summary>Deletes finished jobs (completed, failed or cancelled) kicked off before <paramref name="before"/>, with their files.</summary>
    public async Task<int> DeleteFinishedAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var jobs = new List<string>();
        await using (var connection = await store.Database.OpenAsync(cancellationToken))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT job_id FROM export_jobs WHERE status <> 'in-progress' AND created_at < @t";
            FhirStore.AddParameter(command, "@t", before.UtcTicks);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                jobs.Add(reader.GetString(0));
            }
        }

        foreach (var job in jobs)
        {
            // Files first: a crash in between leaves a row without files (answered 404), never files without a row.
            var folder = Path.Combine(Root, job);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            await ExecuteAsync("DELETE FROM export_jobs WHERE job_id = @j", cancellationToken, ("@j", job));
        }

        return jobs.Count;
    }

    public Task<int> FailInterruptedAsync(CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE export_jobs SET status = 'failed', error = @e, completed_at = @c WHERE status = 'in-progress'",
            cancellationToken,
            ("@e", "interrupted by a server restart; start the export again"),
            ("@c", clock.GetUtcNow().UtcTicks));

    private async System.Threading.Tasks.Task RunAsync(FhirAccess access, string job, string request, string[]? types, DateTimeOffset? since, bool patientCompartment, string baseUrl)
    {
        try
        {
            var folder = Path.Combine(Root, job);
            Directory.CreateDirectory(folder);
            var writers = new Dictionary<string, (StreamWriter Writer, int Count)>(StringComparer.Ordinal);
            HashSet<long>? allowed = null;
            if (patientCompartment)
            {
                allowed = [];
                await using var patients = await store.Database.OpenAsync(CancellationToken.None);
                await using var list = patients.CreateCommand();
                var patientParameters = new SqlParameters();
                var visiblePatient = accessSql.Visible(access, "Patient", "r", patientParameters) is { } vp ? $" AND {vp}" : string.Empty;
                list.CommandText = $"SELECT resource_key, resource_type, resource_id, version, last_updated, is_deleted, NULL FROM resources r WHERE resource_type = 'Patient' AND is_deleted = 0{visiblePatient}";
                patientParameters.ApplyTo(list);
                var patientRows = new List<StoredResource>();
                await using (var reader = await list.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        patientRows.Add(FhirStore.ReadRow(reader));
                    }
                }

                foreach (var patient in patientRows)
                {
                    allowed.UnionWith(await EverythingEndpoint.KeysAsync(store, patient, null, new SqlParameters(), CancellationToken.None));
                }
            }

            await using var connection = await store.Database.OpenAsync(CancellationToken.None);
            await using var command = connection.CreateCommand();
            var filter = new StringBuilder("is_deleted = 0");
            if (types is { Length: > 0 })
            {
                filter.Append(" AND resource_type IN (").Append(string.Join(",", types.Select((t, i) => "@t" + i))).Append(')');
                for (var i = 0; i < types.Length; i++)
                {
                    FhirStore.AddParameter(command, "@t" + i, types[i]);
                }
            }

            if (since is not null)
            {
                filter.Append(" AND last_updated > @since");
                FhirStore.AddParameter(command, "@since", since.Value.UtcTicks);
            }

            var visibility = new SqlParameters();
            if (accessSql.Visible(access, types is [var single] ? single : null, "r", visibility) is { } visible)
            {
                filter.Append(" AND ").Append(visible);
                visibility.ApplyTo(command);
            }

            command.CommandText = $"SELECT resource_key, resource_type, {store.Database.BodyText("body")} FROM resources r WHERE {filter} ORDER BY resource_key";
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    if (allowed is not null && !allowed.Contains(reader.GetInt64(0)))
                    {
                        continue;
                    }

                    var type = reader.GetString(1);
                    if (!writers.TryGetValue(type, out var entry))
                    {
                        entry = (new StreamWriter(Path.Combine(folder, type + ".ndjson"), false, new UTF8Encoding(false)), 0);
                    }

                    // NDJSON: one resource per line; stored bodies are compact JSON already.
                    await entry.Writer.WriteAsync(reader.GetString(2).ReplaceLineEndings(" "));
                    await entry.Writer.WriteAsync('\n');
                    writers[type] = (entry.Writer, entry.Count + 1);
                }
            }

            foreach (var (writer, _) in writers.Values)
            {
                await writer.DisposeAsync();
            }

            var manifest = JsonSerializer.Serialize(new
            {
                transactionTime = clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
                request,
                requiresAccessToken = true, // the files answer only to the token that started the job
                output = writers.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => new { type = w.Key, url = $"{baseUrl}/$export-file/{job}/{w.Key}.ndjson", count = w.Value.Count }),
                error = Array.Empty<object>(),
            });
            await ExecuteAsync("UPDATE export_jobs SET status = 'completed', completed_at = @c, manifest = @m WHERE job_id = @j", CancellationToken.None, ("@c", clock.GetUtcNow().UtcTicks), ("@m", manifest), ("@j", job));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Export {Job} failed", job);
            await ExecuteAsync("UPDATE export_jobs SET status = 'failed', error = @e WHERE job_id = @j", CancellationToken.None, ("@e", e.Message), ("@j", job));
        }
    }

    public async Task<(string Status, string? Manifest, string? Error)?> GetAsync(FhirAccess access, string job, CancellationToken cancellationToken)
    {
        await using var connection = await store.Database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, manifest, error FROM export_jobs WHERE job_id = @j AND requested_by = @o";
        FhirStore.AddParameter(command, "@j", job);
        FhirStore.AddParameter(command, "@o", access.Actor.Id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2))
            : null;
    }

    public async Task<bool> DeleteAsync(FhirAccess access, string job, CancellationToken cancellationToken)
    {
        var deleted = await ExecuteAsync("DELETE FROM export_jobs WHERE job_id = @j AND requested_by = @o", cancellationToken, ("@j", job), ("@o", access.Actor.Id));
        var folder = Path.Combine(Root, job);
        if (deleted > 0 && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return deleted > 0;
    }

    public async Task<string?> FilePathAsync(FhirAccess access, string job, string file, CancellationToken cancellationToken)
    {
        // Only names we wrote: "<ResourceType>.ndjson" inside the job folder; nothing else on disk is reachable.
        if (!Guid.TryParseExact(job, "N", out _) || !file.EndsWith(".ndjson", StringComparison.Ordinal) || !ModelInfo.IsKnownResource(file[..^".ndjson".Length]))
        {
            return null;
        }

        if (await GetAsync(access, job, cancellationToken) is not ("completed", _, _))
        {
            return null;
        }

        var path = Path.Combine(Root, job, file);
        return System.IO.File.Exists(path) ? path : null;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await store.Database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            FhirStore.AddParameter(command, name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using YTeSo.Fhir.Indexing;
using YTeSo.Fhir.Serialization;
using YTeSo.Fhir.Storage;

namespace YTeSo.Fhir.Access;

/// <summary>
/// Fills <c>patient_access</c> for resources stored before the table existed (the migration that creates it cannot run
/// C#). New writes maintain it themselves; this runs once, at the start-up that applies that migration to a store
/// that already holds resources.
/// </summary>
internal sealed class PatientAccessBackfill(FhirStore store, FhirSerializers serializers, PatientAccessExtractor extractor)
{
    /// <summary>The types <see cref="PatientAccessExtractor"/> derives rows from.</summary>
    private const string SourceTypes = "'Patient', 'Encounter', 'EpisodeOfCare', 'ServiceRequest', 'CareTeam', 'Location', 'HealthcareService', 'PractitionerRole', 'Appointment', 'Consent'";

    private const int PerTransaction = 2000;

    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        long last = 0, rows = 0;
        while (true)
        {
            var batch = new List<(long Key, string Body)>();
            await using (var connection = await store.Database.OpenAsync(cancellationToken))
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = $"SELECT resource_key, {store.Database.BodyText("body")} FROM resources WHERE resource_key > @last AND is_deleted = 0 AND resource_type IN ({SourceTypes}) ORDER BY resource_key LIMIT {PerTransaction}";
                FhirStore.AddParameter(command, "@last", last);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    batch.Add((reader.GetInt64(0), reader.GetString(1)));
                }
            }

            if (batch.Count == 0)
            {
                return rows;
            }

            // Key order: a Location is stored before the Appointments that name it in the usual load order; one that
            // comes later is simply not resolved, as on an ordinary write.
            await using var session = await store.BeginWriteAsync(cancellationToken);
            foreach (var (key, body) in batch)
            {
                var derived = extractor.Extract(serializers.ParseJson(body));
                session.AddPatientAccess(key, derived);
                rows += derived.Count;
            }

            await session.CommitAsync(cancellationToken);
            last = batch[^1].Key;
        }
    }
}

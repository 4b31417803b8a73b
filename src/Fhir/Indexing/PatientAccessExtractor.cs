using Hl7.Fhir.Model;

namespace YTeSo.Fhir.Indexing;

/// <summary>What a <see cref="PatientAccessRow"/> records.</summary>
internal enum PatientAccessKind
{
    /// <summary>The organization in <see cref="PatientAccessRow.Target"/> treats the patient (a care relationship).</summary>
    Care = 1,

    /// <summary>An active Consent shares the patient's record with the organization in Target, or "*" (every facility).</summary>
    Share = 2,

    /// <summary>An active Consent denies sharing resources labelled with the security label code in Target.</summary>
    Deny = 3,
}

/// <summary>
/// One row of <c>patient_access</c>, derived from one resource version like its search-index rows. When
/// <see cref="ResolveType"/> is set, <see cref="Target"/> is the id of that Location, HealthcareService or
/// PractitionerRole, and the row stores the organization it belongs to (search parameter <see cref="ResolveParamId"/>)
/// as found when the row is written; nothing when it does not exist yet.
/// </summary>
internal readonly record struct PatientAccessRow(
    string PatientId, PatientAccessKind Kind, string Target, long ValidFrom, long ValidTo, string? ResolveType = null, int ResolveParamId = 0)
{
    public const string EveryFacility = "*";
}

/// <summary>
/// Derives who may see a patient's record from the resources that establish it, at write time, so the patient filter
/// is one indexed lookup per row and a change takes effect with the very next request:
/// <list type="bullet">
/// <item>care relationships: Encounter.serviceProvider, EpisodeOfCare.managingOrganization, Patient.managingOrganization
/// and generalPractitioner (an Organization), ServiceRequest.performer and requester (Organizations: referrals),
/// Appointment participants (Location.managingOrganization, HealthcareService.providedBy, PractitionerRole.organization),
/// CareTeam.managingOrganization;</item>
/// <item>R4 Consent (consent.html), scope patient-privacy, status active, within provision.period: permit with actor
/// Organizations shares with them, permit without any shares with every facility; deny (or a nested deny provision)
/// with securityLabel codes withholds resources carrying those labels from everyone but the treating facilities.</item>
/// </list>
/// </summary>
internal sealed class PatientAccessExtractor(SearchParameterCatalog catalog)
{
    private const string ConsentScopeSystem = "http://terminology.hl7.org/CodeSystem/consentscope";

    public List<PatientAccessRow> Extract(Resource resource)
    {
        var rows = new List<PatientAccessRow>();
        switch (resource)
        {
            case Encounter encounter:
                Care(rows, [encounter.Subject], [encounter.ServiceProvider]);
                break;
            case EpisodeOfCare episode:
                Care(rows, [episode.Patient], [episode.ManagingOrganization]);
                break;
            case Patient patient when patient.Id is not null:
                Care(rows, [new ResourceReference($"Patient/{patient.Id}")], [patient.ManagingOrganization, .. patient.GeneralPractitioner]);
                break;
            case ServiceRequest request:
                Care(rows, [request.Subject], [.. request.Performer, request.Requester]);
                break;
            case CareTeam team:
                Care(rows, [team.Subject], team.ManagingOrganization);
                break;
            case Appointment appointment:
                AppointmentCare(rows, appointment);
                break;
            case Consent consent:
                ConsentRows(rows, consent);
                break;
        }

        return rows;
    }

    private static void Care(List<PatientAccessRow> rows, IEnumerable<ResourceReference?> patients, IEnumerable<ResourceReference?> organizations)
    {
        var organizationIds = organizations.Select(o => Local(o, "Organization")).OfType<string>().Distinct().ToList();
        foreach (var patient in patients.Select(p => Local(p, "Patient")).OfType<string>().Distinct())
        {
            rows.AddRange(organizationIds.Select(o => new PatientAccessRow(patient, PatientAccessKind.Care, o, 0, long.MaxValue)));
        }
    }

    private void AppointmentCare(List<PatientAccessRow> rows, Appointment appointment)
    {
        var actors = appointment.Participant.Select(p => p.Actor).ToList();
        var patients = actors.Select(a => Local(a, "Patient")).OfType<string>().Distinct().ToList();
        foreach (var actor in actors)
        {
            // The participant's organization is read when the row is written: Location.managingOrganization,
            // HealthcareService.providedBy and PractitionerRole.organization are each their type's "organization" parameter.
            var parsed = actor?.Reference is { } value ? ReferenceParser.Parse(value) : default;
            if (!parsed.IsLocal || parsed.TargetType is not ("Location" or "HealthcareService" or "PractitionerRole"))
            {
                continue;
            }

            var parameter = catalog.Find(parsed.TargetType, "organization");
            if (parameter is null || parameter.Id == 0)
            {
                continue;
            }

            rows.AddRange(patients.Select(p => new PatientAccessRow(p, PatientAccessKind.Care, parsed.TargetId!, 0, long.MaxValue, parsed.TargetType, parameter.Id)));
        }
    }

    private static void ConsentRows(List<PatientAccessRow> rows, Consent consent)
    {
        if (consent.Status != Consent.ConsentState.Active
            || !consent.Scope.Coding.Any(c => c.Code == "patient-privacy" && (c.System is null || c.System == ConsentScopeSystem))
            || Local(consent.Patient, "Patient") is not { } patient
            || consent.Provision is not { } provision)
        {
            return;
        }

        var (from, to) = Period(provision.Period, (0, long.MaxValue));
        if (provision.Type == Consent.ConsentProvisionType.Permit)
        {
            var organizations = provision.Actor.Select(a => Local(a.Reference, "Organization")).OfType<string>().Distinct().ToList();
            if (organizations.Count == 0)
            {
                organizations.Add(PatientAccessRow.EveryFacility);
            }

            rows.AddRange(organizations.Select(o => new PatientAccessRow(patient, PatientAccessKind.Share, o, from, to)));
        }

        Denials(rows, patient, provision, (from, to), provision.Type == Consent.ConsentProvisionType.Deny);
    }

    private static void Denials(List<PatientAccessRow> rows, string patient, Consent.provisionComponent provision, (long From, long To) period, bool isDeny)
    {
        if (isDeny)
        {
            foreach (var code in provision.SecurityLabel.Select(l => l.Code).OfType<string>().Where(c => c.Length > 0).Distinct())
            {
                rows.Add(new PatientAccessRow(patient, PatientAccessKind.Deny, code, period.From, period.To));
            }
        }

        foreach (var nested in provision.Provision)
        {
            Denials(rows, patient, nested, Period(nested.Period, period), nested.Type == Consent.ConsentProvisionType.Deny);
        }
    }

    private static (long From, long To) Period(Period? period, (long From, long To) otherwise)
    {
        var from = FhirDateRange.TryParse(period?.Start, out var start) ? start.Low : otherwise.From;
        var to = FhirDateRange.TryParse(period?.End, out var end) ? end.High : otherwise.To;
        return (from, to);
    }

    private static string? Local(ResourceReference? reference, string type)
    {
        if (reference?.Reference is not { Length: > 0 } value)
        {
            return null;
        }

        var parsed = ReferenceParser.Parse(value);
        return parsed.IsLocal && parsed.TargetType == type ? parsed.TargetId : null;
    }
}

using System.Globalization;
using System.Text;

using Hl7.Fhir.Model;

using YTeSo.Platform.Auditing;

namespace YTeSo.Fhir.Auditing;

/// <summary>
/// Turns a stored audit record into a FHIR R4 <c>AuditEvent</c> (auditevent.html), for export to a national or
/// external audit repository. Codes follow the R4 AuditEvent value sets: the type is DICOM or <c>rest</c>, the
/// subtype a FHIR restful interaction (or the DICOM / IHE event), and the trail's own action code is kept as a
/// second subtype so nothing is lost. The chain position (seq, hash, prev_hash) travels in an extension.
/// </summary>
internal static class AuditEventMapper
{
    public const string ActionSystem = "https://yteso.vn/fhir/CodeSystem/audit-action";
    public const string ActorSystem = "https://yteso.vn/fhir/sid/audit-actor";
    public const string ClientSystem = "https://yteso.vn/fhir/sid/oauth-client";
    public const string ChainExtension = "https://yteso.vn/fhir/StructureDefinition/audit-chain";
    public const string FacilityExtension = "https://yteso.vn/fhir/StructureDefinition/audit-facility";
    public const string BreakGlassExtension = "https://yteso.vn/fhir/StructureDefinition/audit-break-glass";

    private const string Dicom = "http://dicom.nema.org/resources/ontology/DCM";
    private const string EventType = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    private const string Restful = "http://hl7.org/fhir/restful-interaction";
    private const string IheEvent = "urn:ihe:event-type-code";
    private const string ActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    private const string EntityType = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    private const string ObjectRole = "http://terminology.hl7.org/CodeSystem/object-role";
    private const string SourceType = "http://terminology.hl7.org/CodeSystem/security-source-type";
    private const string SecurityRoleType = "http://terminology.hl7.org/CodeSystem/extra-security-role-type";

    // Firely elements are mutable: every event gets codings of its own.
    private static Coding Rest => new(EventType, "rest", "RESTful Operation");

    public static AuditEvent ToAuditEvent(StoredAuditRecord stored)
    {
        var record = stored.Record;
        var (type, subtype, action) = Classify(record);
        var auditEvent = new AuditEvent
        {
            Id = stored.Seq.ToString(CultureInfo.InvariantCulture),
            Type = type,
            Subtype = [.. subtype, new Coding(ActionSystem, record.Action)],
            Action = action,
            Recorded = stored.RecordedAt,
            Outcome = record.Outcome switch
            {
                AuditOutcomes.Success => AuditEvent.AuditEventOutcome.N0,
                AuditOutcomes.Denied => AuditEvent.AuditEventOutcome.N4,
                _ => AuditEvent.AuditEventOutcome.N8,
            },
            OutcomeDesc = record.Detail,
            Agent = Agents(record),
            Source = new AuditEvent.SourceComponent
            {
                Site = "YTeSo",
                Observer = new ResourceReference { Display = "YTeSo" },
                Type = [new Coding(SourceType, "4", "Application Server")],
            },
            Entity = Entities(record),
        };
        auditEvent.Extension.Add(new Extension
        {
            Url = ChainExtension,
            Extension =
            [
                new Extension("seq", new FhirString(stored.Seq.ToString(CultureInfo.InvariantCulture))),
                new Extension("hash", new FhirString(stored.Hash)),
                new Extension("previousHash", new FhirString(stored.PreviousHash)),
            ],
        });
        if (record.BreakGlass)
        {
            auditEvent.Extension.Add(new Extension(BreakGlassExtension, new FhirBoolean(true)));
        }

        return auditEvent;
    }

    /// <summary>The event type, subtypes and CRUDE action of a trail action.</summary>
    private static (Coding Type, List<Coding> Subtype, AuditEvent.AuditEventAction Action) Classify(AuditRecord record)
    {
        var hasType = record.ResourceType is not null;
        var hasIds = record.ResourceIds is { Count: > 0 };
        return record.Action switch
        {
            AuditActions.Read => (Rest, [Interaction("read")], AuditEvent.AuditEventAction.R),
            AuditActions.VersionRead => (Rest, [Interaction("vread")], AuditEvent.AuditEventAction.R),

            // auditevent.html: "E: ... perform a query/search operation".
            AuditActions.Search => (Rest, [Interaction(hasType ? "search-type" : "search-system")], AuditEvent.AuditEventAction.E),
            AuditActions.History => (Rest, [Interaction(hasType && hasIds ? "history-instance" : hasType ? "history-type" : "history-system")], AuditEvent.AuditEventAction.R),
            AuditActions.Create => (Rest, [Interaction("create")], AuditEvent.AuditEventAction.C),
            AuditActions.Update => (Rest, [Interaction("update")], AuditEvent.AuditEventAction.U),
            AuditActions.Patch => (Rest, [Interaction("patch")], AuditEvent.AuditEventAction.U),
            AuditActions.Delete => (Rest, [Interaction("delete")], AuditEvent.AuditEventAction.D),
            AuditActions.Operation => (Rest, [Interaction("operation")], AuditEvent.AuditEventAction.E),
            AuditActions.Export => (new Coding(Dicom, "110106", "Export"), [Interaction("operation")], AuditEvent.AuditEventAction.R),
            AuditActions.SignIn => (new Coding(Dicom, "110114", "User Authentication"), [new Coding(Dicom, "110122", "Login")], AuditEvent.AuditEventAction.E),
            AuditActions.SignOut => (new Coding(Dicom, "110114", "User Authentication"), [new Coding(Dicom, "110123", "Logout")], AuditEvent.AuditEventAction.E),

            // IHE IUA: ITI-71 is the authorization server issuing an access token.
            AuditActions.TokenIssued => (new Coding(Dicom, "110114", "User Authentication"), [new Coding(IheEvent, "ITI-71", "Get Access Token")], AuditEvent.AuditEventAction.E),
            AuditActions.PermissionChange => (new Coding(Dicom, "110113", "Security Alert"), [new Coding(Dicom, "110136", "Security Roles Changed")], AuditEvent.AuditEventAction.U),
            AuditActions.BreakGlass => (new Coding(Dicom, "110113", "Security Alert"), [new Coding(Dicom, "110127", "Emergency Override Started")], AuditEvent.AuditEventAction.E),
            _ => (new Coding(Dicom, "110100", "Application Activity"), [], AuditEvent.AuditEventAction.E),
        };
    }

    private static Coding Interaction(string code) => new(Restful, code);

    private static List<AuditEvent.AgentComponent> Agents(AuditRecord record)
    {
        var actor = record.Actor;
        var isApplication = actor.Id == "system" || actor.Id.StartsWith("client/", StringComparison.Ordinal);
        var purpose = actor.PurposeOfUse ?? (record.BreakGlass ? "ETREAT" : null);
        var requestor = new AuditEvent.AgentComponent
        {
            Type = new CodeableConcept
            {
                Coding = [isApplication ? new Coding(Dicom, "110150", "Application") : new Coding(SecurityRoleType, "humanuser", "human user")],
            },
            Role = actor.Role is null ? [] : [new CodeableConcept { Text = actor.Role }],
            Who = new ResourceReference { Identifier = new Identifier(ActorSystem, actor.Id), Display = actor.Display },
            Requestor = true,
            Network = actor.SourceIp is null ? null : new AuditEvent.NetworkComponent
            {
                Address = actor.SourceIp,
                Type = AuditEvent.AuditEventAgentNetworkType.N2, // 2 = IP address
            },
            PurposeOfUse = purpose is null ? [] : [new CodeableConcept(ActReason, purpose)],
        };
        if (actor.FacilityId is not null)
        {
            requestor.Extension.Add(new Extension(FacilityExtension, new ResourceReference("Organization/" + actor.FacilityId)));
        }

        List<AuditEvent.AgentComponent> agents = [requestor];
        if (actor.ClientId is not null)
        {
            agents.Add(new AuditEvent.AgentComponent
            {
                Type = new CodeableConcept { Coding = [new Coding(Dicom, "110150", "Application")] },
                Who = new ResourceReference { Identifier = new Identifier(ClientSystem, actor.ClientId) },
                Requestor = false,
            });
        }

        return agents;
    }

    private static List<AuditEvent.EntityComponent> Entities(AuditRecord record)
    {
        var patients = (record.PatientIds ?? [])
            .Select(id => id.Contains('/', StringComparison.Ordinal) ? id : "Patient/" + id)
            .ToHashSet(StringComparer.Ordinal);
        var entities = new List<AuditEvent.EntityComponent>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reference in (record.ResourceIds ?? []).Concat(patients))
        {
            if (seen.Add(reference))
            {
                var isPatient = patients.Contains(reference) || reference.StartsWith("Patient/", StringComparison.Ordinal);
                entities.Add(new AuditEvent.EntityComponent
                {
                    What = new ResourceReference(reference),
                    Type = isPatient ? new Coding(EntityType, "1", "Person") : new Coding(EntityType, "2", "System Object"),
                    Role = isPatient ? new Coding(ObjectRole, "1", "Patient") : new Coding(ObjectRole, "4", "Domain Resource"),
                });
            }
        }

        if (record.Query is not null)
        {
            entities.Add(new AuditEvent.EntityComponent
            {
                Type = new Coding(EntityType, "2", "System Object"),
                Role = new Coding(ObjectRole, "24", "Query"),
                Name = record.ResourceType,
                Query = Encoding.UTF8.GetBytes(record.Query),
            });
        }

        return entities;
    }
}

using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Validation;
using YTeSo.Fhir.Auditing;
using YTeSo.Fhir.Serialization;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Auditing;

/// <summary>Stored audit records become R4 AuditEvents that Firely's strict parser and model validation accept.</summary>
public sealed class AuditEventMapperTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void A_break_glass_search_maps_to_a_valid_R4_AuditEvent_with_the_standard_codes()
    {
        var actor = new AuditActor("staff/bs-le-c", "BS. Lê C", "doctor", "bv-da-khoa-tinh", "his-bv-tinh", "10.1.2.3", "ETREAT");
        var record = new AuditRecord(
            AuditActions.Search, AuditOutcomes.Success, actor, "Observation", ["Observation/o1", "Patient/p-9"], ["p-9", "p-10"],
            "subject=Patient/p-9&_count=20", BreakGlass: true, Detail: "Cấp cứu");

        var auditEvent = RoundTrip(Stored(42, record));

        Assert.Equal("42", auditEvent.Id);
        Assert.Equal(("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest"), (auditEvent.Type.System, auditEvent.Type.Code));
        Assert.Contains(auditEvent.Subtype, c => c.System == "http://hl7.org/fhir/restful-interaction" && c.Code == "search-type");
        Assert.Contains(auditEvent.Subtype, c => c.System == AuditEventMapper.ActionSystem && c.Code == "search");
        Assert.Equal(AuditEvent.AuditEventAction.E, auditEvent.Action);
        Assert.Equal(At, auditEvent.Recorded);
        Assert.Equal(AuditEvent.AuditEventOutcome.N0, auditEvent.Outcome);
        Assert.Equal("Cấp cứu", auditEvent.OutcomeDesc);

        var requestor = Assert.Single(auditEvent.Agent, a => a.Requestor == true);
        Assert.Equal((AuditEventMapper.ActorSystem, "staff/bs-le-c"), (requestor.Who.Identifier.System, requestor.Who.Identifier.Value));
        Assert.Equal("BS. Lê C", requestor.Who.Display);
        Assert.Equal("doctor", requestor.Role.Single().Text);
        Assert.Equal(("10.1.2.3", AuditEvent.AuditEventAgentNetworkType.N2), (requestor.Network.Address, requestor.Network.Type));
        Assert.Equal(("http://terminology.hl7.org/CodeSystem/v3-ActReason", "ETREAT"), (requestor.PurposeOfUse.Single().Coding.Single().System, requestor.PurposeOfUse.Single().Coding.Single().Code));
        Assert.Equal("Organization/bv-da-khoa-tinh", ((ResourceReference)requestor.GetExtension(AuditEventMapper.FacilityExtension).Value).Reference);
        var client = Assert.Single(auditEvent.Agent, a => a.Requestor == false);
        Assert.Equal("his-bv-tinh", client.Who.Identifier.Value);

        Assert.Equal("YTeSo", auditEvent.Source.Observer.Display);
        Assert.Equal(["Observation/o1", "Patient/p-9", "Patient/p-10"], auditEvent.Entity.Where(e => e.What is not null).Select(e => e.What.Reference));
        Assert.All(auditEvent.Entity.Where(e => e.What?.Reference?.StartsWith("Patient/", StringComparison.Ordinal) == true), e => Assert.Equal("1", e.Role.Code));
        Assert.Equal("4", auditEvent.Entity.Single(e => e.What?.Reference == "Observation/o1").Role.Code);
        var query = Assert.Single(auditEvent.Entity, e => e.Role.Code == "24");
        Assert.Equal("subject=Patient/p-9&_count=20", Encoding.UTF8.GetString(query.Query));

        var chain = auditEvent.GetExtension(AuditEventMapper.ChainExtension);
        Assert.Equal("42", chain.GetExtensionValue<FhirString>("seq").Value);
        Assert.Equal(new string('b', 64), chain.GetExtensionValue<FhirString>("hash").Value);
        Assert.Equal(new string('a', 64), chain.GetExtensionValue<FhirString>("previousHash").Value);
        Assert.True(auditEvent.GetExtensionValue<FhirBoolean>(AuditEventMapper.BreakGlassExtension).Value);
    }

    [Theory]
    [InlineData(AuditActions.Read, "read", AuditEvent.AuditEventAction.R)]
    [InlineData(AuditActions.VersionRead, "vread", AuditEvent.AuditEventAction.R)]
    [InlineData(AuditActions.History, "history-instance", AuditEvent.AuditEventAction.R)]
    [InlineData(AuditActions.Create, "create", AuditEvent.AuditEventAction.C)]
    [InlineData(AuditActions.Update, "update", AuditEvent.AuditEventAction.U)]
    [InlineData(AuditActions.Patch, "patch", AuditEvent.AuditEventAction.U)]
    [InlineData(AuditActions.Delete, "delete", AuditEvent.AuditEventAction.D)]
    [InlineData(AuditActions.Operation, "operation", AuditEvent.AuditEventAction.E)]
    public void Each_rest_action_maps_to_its_restful_interaction_and_crude_action(string action, string interaction, AuditEvent.AuditEventAction crude)
    {
        var record = new AuditRecord(action, AuditOutcomes.Success, AuditSamples.Nurse, "Patient", ["Patient/p1"], ["p1"]);

        var auditEvent = RoundTrip(Stored(1, record));

        Assert.Equal("rest", auditEvent.Type.Code);
        Assert.Equal(interaction, auditEvent.Subtype.Single(c => c.System == "http://hl7.org/fhir/restful-interaction").Code);
        Assert.Equal(crude, auditEvent.Action);
    }

    [Theory]
    [InlineData(AuditActions.SignIn, "110114", "110122")]
    [InlineData(AuditActions.SignOut, "110114", "110123")]
    [InlineData(AuditActions.PermissionChange, "110113", "110136")]
    [InlineData(AuditActions.BreakGlass, "110113", "110127")]
    public void Security_events_map_to_dicom_event_types(string action, string type, string subtype)
    {
        var record = new AuditRecord(action, AuditOutcomes.Success, AuditActor.System("YTeSo console"));

        var auditEvent = RoundTrip(Stored(7, record));

        Assert.Equal(("http://dicom.nema.org/resources/ontology/DCM", type), (auditEvent.Type.System, auditEvent.Type.Code));
        Assert.Contains(auditEvent.Subtype, c => c.Code == subtype);
        Assert.Equal("HOPERAT", auditEvent.Agent.Single().PurposeOfUse.Single().Coding.Single().Code);
    }

    [Theory]
    [InlineData(AuditOutcomes.Success, AuditEvent.AuditEventOutcome.N0)]
    [InlineData(AuditOutcomes.Denied, AuditEvent.AuditEventOutcome.N4)]
    [InlineData(AuditOutcomes.Failed, AuditEvent.AuditEventOutcome.N8)]
    public void Outcomes_map_to_success_minor_and_serious_failure(string outcome, AuditEvent.AuditEventOutcome expected)
    {
        var record = AuditSamples.Read(AuditSamples.Doctor, "p1") with { Outcome = outcome };

        Assert.Equal(expected, RoundTrip(Stored(3, record)).Outcome);
    }

    [Fact]
    public void The_model_validation_used_here_refuses_an_AuditEvent_without_its_required_elements()
    {
        Assert.NotEmpty(new AuditEvent().Validate(ModelInfo.ModelInspector));
    }

    private static StoredAuditRecord Stored(long seq, AuditRecord record) => new(seq, At, record, new string('a', 64), new string('b', 64));

    /// <summary>Serialized and parsed back strictly, after Firely's model validation (cardinality, required elements).</summary>
    private static AuditEvent RoundTrip(StoredAuditRecord stored)
    {
        var mapped = AuditEventMapper.ToAuditEvent(stored);
        var issues = mapped.Validate(ModelInfo.ModelInspector);
        Assert.Empty(issues);
        var serializers = new FhirSerializers();
        return Assert.IsType<AuditEvent>(serializers.ParseJson(serializers.ToJson(mapped)));
    }
}

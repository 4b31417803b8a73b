using Hl7.Fhir.Model;
using YTeSo.Patients.MergePatients;

namespace YTeSo.UnitTests.Patients;

public sealed class MergeReferenceTests
{
    [Fact]
    public void Repointing_finds_references_in_any_element_and_in_contained_resources()
    {
        var report = new DiagnosticReport
        {
            Subject = new ResourceReference("Patient/s"),
            Performer = [new ResourceReference("Practitioner/p")],
            Contained = [new Observation { Id = "hb", Subject = new ResourceReference("Patient/s/_history/2"), Focus = [new ResourceReference("Patient/other")] }],
        };

        var changed = PatientReferences.Repoint(report, "s", "t");

        Assert.Equal(["DiagnosticReport.contained[0].subject Patient/s/_history/2", "DiagnosticReport.subject Patient/s"], changed.Order(StringComparer.Ordinal));
        Assert.Equal("Patient/t", report.Subject.Reference);
        Assert.Equal("Patient/t", ((Observation)report.Contained[0]).Subject.Reference);
        Assert.Equal("Patient/other", ((Observation)report.Contained[0]).Focus[0].Reference);
    }

    [Fact]
    public void Restoring_puts_back_the_original_text_only_where_the_target_still_stands()
    {
        var observation = new Observation { Subject = new ResourceReference("Patient/s/_history/1"), Focus = [new ResourceReference("Patient/s")] };
        var changed = PatientReferences.Repoint(observation, "s", "t");
        observation.Focus[0].Reference = "Patient/someone-else";

        var restored = PatientReferences.Restore(observation, "t", changed);

        Assert.Equal(["Observation.subject"], restored);
        Assert.Equal("Patient/s/_history/1", observation.Subject.Reference);
        Assert.Equal("Patient/someone-else", observation.Focus[0].Reference);
    }

    [Fact]
    public void A_patient_id_that_merely_starts_like_the_source_is_not_repointed()
    {
        var encounter = new Encounter { Subject = new ResourceReference("Patient/s1") };

        Assert.Empty(PatientReferences.Repoint(encounter, "s", "t"));
    }
}

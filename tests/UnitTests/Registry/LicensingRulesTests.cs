using Hl7.Fhir.Model;
using YTeSo.Registry.Licensing;
using YTeSo.Registry.Practitioners;

namespace YTeSo.UnitTests.Registry;

/// <summary>The licensing state machine and the period arithmetic behind the overlapping-role rule.</summary>
public sealed class LicensingRulesTests
{
    [Theory]
    [InlineData(ApplicationStatus.Submitted, ApplicationAction.InformationRequested, true)]
    [InlineData(ApplicationStatus.Submitted, ApplicationAction.Approved, true)]
    [InlineData(ApplicationStatus.Submitted, ApplicationAction.Rejected, true)]
    [InlineData(ApplicationStatus.Submitted, ApplicationAction.InformationProvided, false)]
    [InlineData(ApplicationStatus.InformationRequested, ApplicationAction.InformationProvided, true)]
    [InlineData(ApplicationStatus.InformationRequested, ApplicationAction.Approved, false)]
    [InlineData(ApplicationStatus.InformationRequested, ApplicationAction.Rejected, true)]
    [InlineData(ApplicationStatus.Approved, ApplicationAction.Rejected, false)]
    [InlineData(ApplicationStatus.Approved, ApplicationAction.Approved, false)]
    [InlineData(ApplicationStatus.Rejected, ApplicationAction.Approved, false)]
    [InlineData(ApplicationStatus.Rejected, ApplicationAction.InformationProvided, false)]
    public void Only_the_procedures_transitions_are_allowed_and_a_decision_is_final(ApplicationStatus status, ApplicationAction action, bool allowed) =>
        Assert.Equal(allowed, new LicenceApplicationRow { Status = status }.Allows(action));

    [Fact]
    public void An_answer_to_a_request_puts_the_application_back_with_the_department() =>
        Assert.Equal(ApplicationStatus.Submitted, LicenceApplicationRow.After(ApplicationAction.InformationProvided));

    [Theory]
    [InlineData("2024-01-01", "2025-12-31", "2026-01-01", null, false)]
    [InlineData("2024-01-01", "2025-12-31", "2025-12-31", null, true)]      // the last day is still in the first role
    [InlineData("2024-01-01", "2025-12", "2025-12-31", null, true)]         // a month end means the whole month
    [InlineData("2024-01-01", "2025", "2025-12-31", "2026-06-30", true)]    // a year end means the whole year
    [InlineData("2024-01-01", "2025", "2026-01-01", "2026-06-30", false)]
    [InlineData(null, null, "1990-01-01", "1990-01-02", true)]               // an open role covers all time
    [InlineData("2026-03-01", null, "2020-01-01", "2026-02-28", false)]
    public void Two_periods_overlap_unless_one_ends_before_the_other_starts(string? startA, string? endA, string? startB, string? endB, bool overlap)
    {
        var a = new Period { Start = startA, End = endA };
        var b = new Period { Start = startB, End = endB };
        Assert.Equal(overlap, PractitionerRoleRules.Overlap(a, b));
        Assert.Equal(overlap, PractitionerRoleRules.Overlap(b, a));
    }
}

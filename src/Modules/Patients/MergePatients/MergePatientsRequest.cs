using Hl7.Fhir.Model;

namespace YTeSo.Patients.MergePatients;

/// <summary>
/// The input of <c>Patient/$merge</c> (FHIR R5 patient-merge, used on R4): which record goes (source), which stays
/// (target), by reference or by identifier; <c>preview</c> answers what would change without writing;
/// <c>result-patient</c> is the target as it should read afterwards; <c>reason</c> (a YTeSo addition) is recorded.
/// </summary>
public sealed record MergePatientsRequest(
    string? SourcePatient,
    IReadOnlyList<Identifier> SourceIdentifiers,
    string? TargetPatient,
    IReadOnlyList<Identifier> TargetIdentifiers,
    Patient? ResultPatient,
    bool Preview,
    string? Reason)
{
    /// <summary>Reads the R5 <c>Parameters</c> body; unknown parameters are refused so a typo never merges silently.</summary>
    internal static MergePatientsRequest From(Parameters parameters)
    {
        string? source = null, target = null, reason = null;
        List<Identifier> sourceIds = [], targetIds = [];
        Patient? result = null;
        var preview = false;
        foreach (var p in parameters.Parameter)
        {
            switch (p.Name, p.Value, p.Resource)
            {
                case ("source-patient", ResourceReference r, _):
                    source = r.Reference;
                    break;
                case ("target-patient", ResourceReference r, _):
                    target = r.Reference;
                    break;
                case ("source-patient-identifier", Identifier i, _):
                    sourceIds.Add(i);
                    break;
                case ("target-patient-identifier", Identifier i, _):
                    targetIds.Add(i);
                    break;
                case ("result-patient", _, Patient patient):
                    result = patient;
                    break;
                case ("preview", FhirBoolean b, _):
                    preview = b.Value == true;
                    break;
                case ("reason", FhirString s, _):
                    reason = s.Value;
                    break;
                default:
                    throw MergeRefusedException.Of(400, OperationOutcome.IssueType.Invalid, $"Parameter '{p.Name}' is not a parameter of $merge or has the wrong type.");
            }
        }

        return new MergePatientsRequest(source, sourceIds, target, targetIds, result, preview, reason);
    }
}

using Hl7.Fhir.Model;
using YTeSo.Fhir.Api;
using YTeSo.Fhir.Repository;

namespace YTeSo.Fhir.Contracts;

/// <summary>
/// How a module answering its own FHIR operation (e.g. the MPI's <c>Patient/$merge</c>) turns a refusal of the
/// repository into the status and OperationOutcome the FHIR API would have answered, so the answers agree.
/// </summary>
public static class FhirRefusal
{
    /// <summary>
    /// True when <paramref name="error"/> is a refusal by the repository (400, 403, 404, 409, 410, 412, 422...) or a
    /// write conflict with another request (409); false for anything else, which is a fault, not a refusal.
    /// </summary>
    public static bool TryGet(Exception error, out int status, out OperationOutcome outcome)
    {
        switch (error)
        {
            case FhirOperationException refused:
                (status, outcome) = (refused.Status, refused.ToOutcome());
                return true;
            case System.Data.Common.DbException db when FhirErrorFilter.IsConflict(db):
                (status, outcome) = (409, Outcomes.Error(OperationOutcome.IssueType.Conflict, ["The resource was changed by another request at the same time; retry."]));
                return true;
            default:
                (status, outcome) = (0, new OperationOutcome());
                return false;
        }
    }
}

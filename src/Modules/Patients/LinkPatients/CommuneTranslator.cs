using Hl7.Fhir.Model;
using YTeSo.Patients.Domain;
using YTeSo.Patients.Matching;
using YTeSo.Registry.Contracts;

namespace YTeSo.Patients.LinkPatients;

/// <summary>
/// Reads a Patient into a <see cref="PersonRecord"/> with its commune codes in today's units: a pre-reform commune code
/// becomes the commune(s) it was merged into (the Registry's official old-to-new mapping, ADR 0010), so "moved" and
/// "renamed by the reform" no longer look alike. Codes the Registry does not know are kept as they are.
/// </summary>
internal sealed class CommuneTranslator(IAdministrativeUnits units)
{
    public async Task<PersonRecord> ReadAsync(Patient patient, CancellationToken cancellationToken)
    {
        var today = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var code in patient.Address.SelectMany(a => a.Extension)
                     .Where(e => e.Url == PersonRecordReader.CommuneCodeExtension)
                     .Select(e => e.Value switch
                     {
                         Code c => c.Value,
                         FhirString s => s.Value,
                         Coding coding => coding.Code,
                         _ => null,
                     })
                     .OfType<string>()
                     .Distinct(StringComparer.Ordinal))
        {
            var successors = await units.SuccessorsAsync(code, cancellationToken);
            today[code] = successors.Count > 0 ? [.. successors.Select(s => s.Current.Code).Distinct(StringComparer.Ordinal)] : [code];
        }

        return PersonRecordReader.Read(patient, code => today.TryGetValue(code, out var found) ? found : [code]);
    }
}

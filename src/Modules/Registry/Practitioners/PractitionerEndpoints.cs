using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using YTeSo.Fhir.Contracts;

namespace YTeSo.Registry.Practitioners;

/// <summary>The practice licence as the UI API writes it; dates are yyyy-MM-dd.</summary>
public sealed record LicenceInput(string? Number, string? Scope, string? IssuedOn, string? ValidUntil, string? Issuer, string? Status);

/// <summary>A job at a facility: the facility's Organization id, a role code (v2/practitioner-role or a YTeSo code) and its period.</summary>
public sealed record RoleInput(string? Organization, string? Code, string? Display, string? Department, string? Start, string? End);

public sealed record PractitionerInput(string? FamilyName, string? GivenNames, string? Gender, string? BirthDate, string? Phone, LicenceInput? Licence, IReadOnlyList<RoleInput>? Roles);

public sealed record LicenceSummary(string Number, string? Scope, string? IssuedOn, string? ValidUntil, string? Issuer, string? Status);

public sealed record RoleSummary(string Id, string? Organization, string? Code, string? Display, string? Department, string? Start, string? End, bool Active);

public sealed record PractitionerSummary(string Id, string? Name, string? Gender, string? BirthDate, IReadOnlyList<LicenceSummary> Licences, IReadOnlyList<RoleSummary> Roles);

/// <summary>
/// The practitioner registry for the web UI and the Department's tools (<c>/api/registry/practitioners</c>): search by name
/// or licence number, read one with their roles, register one with licence and roles in a single FHIR transaction, change
/// them, add a role. Everything goes through the FHIR repository with the caller's access (scopes on Practitioner and
/// PractitionerRole; the licensing officer and facility administrators hold them), so the same rules (licence number
/// held by one person, no overlapping roles) and the same audit apply as on <c>/fhir</c>. Refusals are ProblemDetails.
/// </summary>
internal static class PractitionerEndpoints
{
    private const string RoleSystem = "http://terminology.hl7.org/CodeSystem/practitioner-role";

    public static IEndpointRouteBuilder MapPractitioners(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/registry/practitioners").WithTags("Registry").DisableAntiforgery();
        api.MapGet("", SearchAsync).WithSummary("Practitioners by name (with or without diacritics) or practice licence number");
        api.MapGet("/{id}", ReadAsync).WithSummary("One practitioner with licences and roles");
        api.MapPost("", CreateAsync).WithSummary("Register a practitioner with licence and roles");
        api.MapPut("/{id}", UpdateAsync).WithSummary("Change a practitioner's name, details and licence");
        api.MapPost("/{id}/roles", AddRoleAsync).WithSummary("Add a role at a facility");
        return endpoints;
    }

    private static async Task<IResult> SearchAsync(HttpContext context, IFhirAccessResolver resolver, IFhirRepository fhir, string? q, string? licence, int? count)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("_count", Math.Clamp(count ?? 50, 1, 200).ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        if (!string.IsNullOrWhiteSpace(licence))
        {
            parameters.Add(new("identifier", $"{PractitionerProfile.LicenceSystem}|{licence.Trim()}"));
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            parameters.Add(new("name", q.Trim()));
        }

        return await RefusalsAsProblems(async () =>
        {
            var access = await resolver.ResolveAsync(context, context.RequestAborted);
            var page = await fhir.SearchAsync(access, "Practitioner", parameters, context.RequestAborted);
            return TypedResults.Ok(page.Resources.OfType<Practitioner>().Select(p => Summary(p, [])).ToArray());
        });
    }

    private static async Task<IResult> ReadAsync(string id, HttpContext context, IFhirAccessResolver resolver, IFhirRepository fhir) =>
        await RefusalsAsProblems(async () =>
        {
            var access = await resolver.ResolveAsync(context, context.RequestAborted);
            return await LoadAsync(access, fhir, id, context.RequestAborted) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound();
        });

    private static async Task<IResult> CreateAsync(PractitionerInput input, HttpContext context, IFhirAccessResolver resolver, IFhirRepository fhir)
    {
        var errors = Validate(input, requireName: true);
        if (errors.Count > 0)
        {
            return TypedResults.Problem(new() { Status = 400, Title = "Invalid practitioner", Extensions = { ["errors"] = errors } });
        }

        return await RefusalsAsProblems(async () =>
        {
            var access = await resolver.ResolveAsync(context, context.RequestAborted);
            var id = Guid.CreateVersion7().ToString();
            var practitioner = Apply(new Practitioner { Id = id, Active = true }, input);
            var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
            Put(bundle, practitioner);
            foreach (var role in input.Roles ?? [])
            {
                Put(bundle, ToRole(id, role));
            }

            await fhir.ProcessBundleAsync(access, bundle, context.RequestAborted);
            var created = await LoadAsync(access, fhir, id, context.RequestAborted);
            return TypedResults.Created($"/api/registry/practitioners/{id}", created);
        });
    }

    private static async Task<IResult> UpdateAsync(string id, PractitionerInput input, HttpContext context, IFhirAccessResolver resolver, IFhirRepository fhir)
    {
        var errors = Validate(input, requireName: false);
        if (errors.Count > 0)
        {
            return TypedResults.Problem(new() { Status = 400, Title = "Invalid practitioner", Extensions = { ["errors"] = errors } });
        }

        return await RefusalsAsProblems(async () =>
        {
            var access = await resolver.ResolveAsync(context, context.RequestAborted);
            if (await fhir.ReadAsync(access, "Practitioner", id, context.RequestAborted) is not Practitioner current)
            {
                return TypedResults.NotFound();
            }

            var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
            Put(bundle, Apply(current, input));
            await fhir.ProcessBundleAsync(access, bundle, context.RequestAborted);
            return TypedResults.Ok((await LoadAsync(access, fhir, id, context.RequestAborted))!);
        });
    }

    private static async Task<IResult> AddRoleAsync(string id, RoleInput input, HttpContext context, IFhirAccessResolver resolver, IFhirRepository fhir)
    {
        var errors = ValidateRole(input, "role");
        if (errors.Count > 0)
        {
            return TypedResults.Problem(new() { Status = 400, Title = "Invalid role", Extensions = { ["errors"] = errors } });
        }

        return await RefusalsAsProblems(async () =>
        {
            var access = await resolver.ResolveAsync(context, context.RequestAborted);
            if (await fhir.ReadAsync(access, "Practitioner", id, context.RequestAborted) is null)
            {
                return TypedResults.NotFound();
            }

            var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
            Put(bundle, ToRole(id, input));
            await fhir.ProcessBundleAsync(access, bundle, context.RequestAborted);
            return TypedResults.Created($"/api/registry/practitioners/{id}", (await LoadAsync(access, fhir, id, context.RequestAborted))!);
        });
    }

    /// <summary>The repository's refusals (403 scope, 404, 409, 422 rule) as ProblemDetails with each problem listed.</summary>
    private static async Task<IResult> RefusalsAsProblems(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (FhirRefusal.TryGet(e, out var status, out var outcome))
        {
            var messages = outcome.Issue.Select(i => i.Diagnostics).Where(d => d is not null).ToArray();
            return TypedResults.Problem(new()
            {
                Status = status,
                Title = status switch { 403 => "Not allowed", 404 => "Not found", 409 => "Conflict", _ => "Refused by the registry's rules" },
                Detail = messages.FirstOrDefault(),
                Extensions = { ["errors"] = messages },
            });
        }
    }

    private static Dictionary<string, string[]> Validate(PractitionerInput input, bool requireName)
    {
        var errors = new Dictionary<string, string[]>();
        if (requireName && string.IsNullOrWhiteSpace(input.FamilyName))
        {
            errors["familyName"] = ["The family name (họ) is required."];
        }

        if (input.Gender is { } gender && gender is not ("male" or "female" or "other" or "unknown"))
        {
            errors["gender"] = ["Gender is male, female, other or unknown."];
        }

        if (input.BirthDate is { } birth && !DateOnly.TryParseExact(birth, "yyyy-MM-dd", out _) && !(birth.Length == 4 && birth.All(char.IsAsciiDigit)))
        {
            errors["birthDate"] = ["The birth date is yyyy-MM-dd (or a year)."];
        }

        if (input.Licence is { } licence)
        {
            if (string.IsNullOrWhiteSpace(licence.Number))
            {
                errors["licence.number"] = ["A licence needs its number."];
            }

            foreach (var (name, value) in new[] { ("licence.issuedOn", licence.IssuedOn), ("licence.validUntil", licence.ValidUntil) })
            {
                if (value is not null && !DateOnly.TryParseExact(value, "yyyy-MM-dd", out _))
                {
                    errors[name] = ["Dates are yyyy-MM-dd."];
                }
            }
        }

        foreach (var (role, index) in (input.Roles ?? []).Select((r, i) => (r, i)))
        {
            foreach (var error in ValidateRole(role, $"roles[{index}]"))
            {
                errors[error.Key] = error.Value;
            }
        }

        return errors;
    }

    private static Dictionary<string, string[]> ValidateRole(RoleInput role, string prefix)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(role.Organization))
        {
            errors[$"{prefix}.organization"] = ["A role is held at a facility (its Organization id)."];
        }

        foreach (var (name, value) in new[] { ("start", role.Start), ("end", role.End) })
        {
            if (value is not null && !DateOnly.TryParseExact(value, "yyyy-MM-dd", out _))
            {
                errors[$"{prefix}.{name}"] = ["Dates are yyyy-MM-dd."];
            }
        }

        return errors;
    }

    private static Practitioner Apply(Practitioner practitioner, PractitionerInput input)
    {
        if (!string.IsNullOrWhiteSpace(input.FamilyName))
        {
            var given = (input.GivenNames ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            practitioner.Name = [new HumanName { Use = HumanName.NameUse.Official, Family = input.FamilyName.Trim(), Given = given, Text = string.Join(' ', new[] { input.FamilyName.Trim() }.Concat(given)) }];
        }

        if (input.Gender is { } gender)
        {
            practitioner.Gender = Enum.Parse<AdministrativeGender>(gender, ignoreCase: true);
        }

        practitioner.BirthDate = input.BirthDate ?? practitioner.BirthDate;
        if (!string.IsNullOrWhiteSpace(input.Phone))
        {
            practitioner.Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Work, input.Phone.Trim())];
        }

        if (input.Licence is { Number: { } number } licence)
        {
            // One licence number, one identifier and one qualification: replaced when the same number is written again.
            practitioner.Identifier.RemoveAll(i => i.System == PractitionerProfile.LicenceSystem && i.Value == number);
            practitioner.Qualification.RemoveAll(q => q.Identifier.Any(i => i.System == PractitionerProfile.LicenceSystem && i.Value == number));
            var period = new Period { Start = licence.IssuedOn, End = licence.ValidUntil };
            practitioner.Identifier.Add(new Identifier(PractitionerProfile.LicenceSystem, number) { Period = period });
            var qualification = new Practitioner.QualificationComponent
            {
                Identifier = [new Identifier(PractitionerProfile.LicenceSystem, number)],
                Code = new CodeableConcept { Text = licence.Scope },
                Period = period,
                Issuer = licence.Issuer is null ? null : new ResourceReference { Display = licence.Issuer },
            };
            qualification.SetExtension(PractitionerProfile.LicenceStatusExtension, new Code(licence.Status ?? "active"));
            practitioner.Qualification.Add(qualification);
        }

        return practitioner;
    }

    private static PractitionerRole ToRole(string practitionerId, RoleInput input) => new()
    {
        Id = Guid.CreateVersion7().ToString(),
        Active = true,
        Practitioner = new ResourceReference($"Practitioner/{practitionerId}"),
        Organization = new ResourceReference(input.Organization!.StartsWith("Organization/", StringComparison.Ordinal) ? input.Organization : $"Organization/{input.Organization}"),
        Code = string.IsNullOrWhiteSpace(input.Code) ? [] : [new CodeableConcept(RoleSystem, input.Code.Trim(), input.Display, input.Display)],
        Specialty = string.IsNullOrWhiteSpace(input.Department) ? [] : [new CodeableConcept { Text = input.Department }],
        Period = input.Start is null && input.End is null ? null : new Period { Start = input.Start, End = input.End },
    };

    private static void Put(Bundle bundle, Resource resource) => bundle.Entry.Add(new Bundle.EntryComponent
    {
        Resource = resource,
        Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{resource.TypeName}/{resource.Id}" },
    });

    private static async Task<PractitionerSummary?> LoadAsync(FhirAccess access, IFhirRepository fhir, string id, CancellationToken cancellationToken)
    {
        if (await fhir.ReadAsync(access, "Practitioner", id, cancellationToken) is not Practitioner practitioner)
        {
            return null;
        }

        var roles = await fhir.SearchAsync(access, "PractitionerRole", [new("practitioner", $"Practitioner/{id}"), new("_count", "200")], cancellationToken);
        return Summary(practitioner, [.. roles.Resources.OfType<PractitionerRole>()]);
    }

    private static PractitionerSummary Summary(Practitioner practitioner, IReadOnlyList<PractitionerRole> roles) => new(
        practitioner.Id!,
        PractitionerProfile.Name(practitioner),
        practitioner.Gender?.ToString().ToLowerInvariant(),
        practitioner.BirthDate,
        [.. PractitionerProfile.Licences(practitioner).Select(l =>
        {
            var qualification = PractitionerProfile.Qualification(practitioner, l.Value!);
            return new LicenceSummary(l.Value!, qualification?.Code?.Text, l.Period?.Start, l.Period?.End, qualification?.Issuer?.Display, qualification is null ? null : PractitionerProfile.Status(qualification));
        })],
        [.. roles.Select(r => new RoleSummary(
            r.Id!, r.Organization?.Reference, r.Code.FirstOrDefault()?.Coding.FirstOrDefault()?.Code, r.Code.FirstOrDefault()?.Coding.FirstOrDefault()?.Display,
            r.Specialty.FirstOrDefault()?.Text, r.Period?.Start, r.Period?.End, r.Active != false))]);
}

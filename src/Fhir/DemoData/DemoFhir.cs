using System.Globalization;

using Hl7.Fhir.Model;

namespace YTeSo.Fhir.DemoData;

/// <summary>Small FHIR builders shared by the reference and citizen bundles.</summary>
internal static class DemoFhir
{
    // Vietnam has no daylight saving time; every demo timestamp is in ICT (UTC+7).
    public static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    /// <summary>v3-ActReason HTEST ("test health data") lets a real deployment find and purge demo data.</summary>
    public static Meta SyntheticMeta() => new()
    {
        Security = [new Coding(DemoFhirSystems.ActReason, "HTEST", "test health data")],
    };

    public static HumanName HumanName(PersonName name) => new()
    {
        Use = Hl7.Fhir.Model.HumanName.NameUse.Official,
        Text = name.Text,
        Family = name.Family,
        Given = [name.Middle, name.Given],
    };

    /// <summary>vn-standards §8.1: no district level since 1 July 2025, so Address.district stays empty.</summary>
    public static Address Address(Commune commune, string? line)
    {
        var address = new Address
        {
            Use = Hl7.Fhir.Model.Address.AddressUse.Work,
            Type = Hl7.Fhir.Model.Address.AddressType.Physical,
            City = commune.Name,
            State = DemoProvince.Name,
            Country = "VN",
            Text = line is null ? $"{commune.Name}, {DemoProvince.Name}" : $"{line}, {commune.Name}, {DemoProvince.Name}",
        };
        if (line is not null)
        {
            address.Use = Hl7.Fhir.Model.Address.AddressUse.Home;
            address.Line = [line];
        }

        address.Extension.Add(new Extension(DemoFhirSystems.CommuneCodeExtension, new Code(commune.Code)));
        return address;
    }

    public static FhirDateTime DateTime(DateTimeOffset value) => new(DateTimeText(value));

    public static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string DateTimeText(DateTimeOffset value) =>
        value.ToOffset(VietnamOffset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static ResourceReference Reference(string reference, string? display = null) => new(reference, display);
}

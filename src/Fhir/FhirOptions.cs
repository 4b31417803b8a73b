namespace YTeSo.Fhir;

/// <summary>The <c>Fhir</c> configuration section.</summary>
public sealed class FhirOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Fhir";

    /// <summary>
    /// Refuse writes whose local references ("Patient/123") point at nothing (422). On by default so the provincial
    /// record holds no dangling links; off only for loading reference material whose targets live elsewhere.
    /// </summary>
    public bool EnforceReferentialIntegrity { get; set; } = true;
}

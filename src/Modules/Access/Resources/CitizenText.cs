namespace YTeSo.Access.Resources;

/// <summary>Marker for the citizen pages' texts: CitizenText.resx is Vietnamese (the default), CitizenText.en.resx English.</summary>
public sealed class CitizenText;

namespace YTeSo.Registry.Resources;

/// <summary>Marker for the licensing pages' texts: LicensingText.resx is Vietnamese (the default), LicensingText.en.resx English.</summary>
public sealed class LicensingText;

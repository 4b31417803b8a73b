namespace YTeSo.Registry.Resources;

/// <summary>Marker for the registry pages' texts: RegistryText.resx is Vietnamese (the default), RegistryText.en.resx English.</summary>
public sealed class RegistryText;

namespace YTeSo.Access.Resources;

/// <summary>Marker for the Access pages' texts: AccessText.resx is Vietnamese (the default), AccessText.en.resx English.</summary>
public sealed class AccessText;

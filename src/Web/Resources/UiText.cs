namespace YTeSo.Web.Resources;

/// <summary>Marker for the UI's text resources: UiText.resx is Vietnamese (the default), UiText.en.resx English.</summary>
public sealed class UiText;

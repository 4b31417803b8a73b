using Microsoft.Extensions.Localization;
using YTeSo.Web.Resources;

namespace YTeSo.Web.Components.ResourceBrowser;

/// <summary>The business name of a FHIR resource type in the UI language ("Patient" is "Người bệnh / công dân").</summary>
internal static class TypeName
{
    public static string Of(string resourceType, IStringLocalizer<UiText> text)
    {
        var localized = text["Type." + resourceType];
        return localized.ResourceNotFound ? resourceType : localized.Value;
    }
}

using System.Globalization;

namespace YTeSo.Registry.Licensing;

/// <summary>How the licensing pages write dates, times and sizes: Vietnamese conventions (dd/MM/yyyy, the Department's time UTC+7).</summary>
internal static class LicensingFormat
{
    private static readonly TimeSpan VietnamTime = TimeSpan.FromHours(7);

    public static string Date(DateOnly? day) => day?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) ?? "";

    public static string Time(DateTimeOffset at) => at.ToOffset(VietnamTime).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    public static string Size(long bytes) => bytes >= 1024 * 1024
        ? string.Create(CultureInfo.CurrentCulture, $"{bytes / (1024.0 * 1024):0.0} MB")
        : string.Create(CultureInfo.CurrentCulture, $"{Math.Max(1, bytes / 1024)} KB");

    /// <summary>The verification page of a licence; the number holds '/', so it goes in the query, escaped.</summary>
    public static string VerifyPath(string licenceNumber, string? code) =>
        $"/xac-minh/giay-phep?so={Uri.EscapeDataString(licenceNumber)}&ma={Uri.EscapeDataString(code ?? "")}";
}

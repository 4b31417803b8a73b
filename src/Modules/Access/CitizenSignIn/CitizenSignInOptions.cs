using Microsoft.Extensions.Configuration;

namespace YTeSo.Access.CitizenSignIn;

/// <summary>
/// <c>Security:CitizenSignIn:*</c>: the one-time code's life and the throttles. The defaults follow NIST SP 800-63B
/// §5.1.3 (out-of-band codes: short-lived, single use, attempts limited) and keep SMS costs and SMS bombing bounded.
/// </summary>
internal sealed class CitizenSignInOptions
{
    public const string Section = "Security:CitizenSignIn";

    public static CitizenSignInOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<CitizenSignInOptions>() ?? new CitizenSignInOptions();

    /// <summary>How long a code is valid.</summary>
    public int CodeMinutes { get; set; } = 5;

    /// <summary>Wrong codes before the code dies (a new one must be requested).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>At most one code per phone number in this many seconds.</summary>
    public int ResendSeconds { get; set; } = 60;

    /// <summary>At most this many codes per phone number per hour.</summary>
    public int CodesPerPhonePerHour { get; set; } = 5;

    /// <summary>At most this many codes sent because of requests from one IP address per hour (a commune station's shared address included).</summary>
    public int CodesPerAddressPerHour { get; set; } = 30;

    /// <summary>A citizen's session ends after this long without activity.</summary>
    public int SessionMinutes { get; set; } = 30;
}

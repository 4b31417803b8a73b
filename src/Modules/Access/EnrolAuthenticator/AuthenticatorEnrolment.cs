using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using QRCoder;
using YTeSo.Access.Accounts;
using YTeSo.Access.Authorization;
using YTeSo.Platform.Auditing;

namespace YTeSo.Access.EnrolAuthenticator;

/// <summary>What a staff member needs to add the account to an authenticator app.</summary>
/// <param name="Key">The shared secret, base32 (RFC 4648), grouped by four for typing by hand.</param>
/// <param name="Uri">The <c>otpauth://totp/…</c> key URI the QR code holds.</param>
/// <param name="QrSvg">The QR code as an SVG document, drawn on the server (no script, no external image).</param>
internal sealed record AuthenticatorSetup(string Key, string Uri, string QrSvg);

/// <summary>
/// The TOTP second factor (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits, as every common authenticator app reads
/// it): a staff member scans the key, proves it with one code, and only then is the factor switched on, so nobody
/// locks themselves out with a mistyped key. Ten one-use recovery codes are shown once. Switching it off needs a
/// current code. Every change is a permission change in the audit trail.
/// </summary>
internal sealed class AuthenticatorEnrolment(UserManager<StaffAccount> users, IAuditTrail audit)
{
    public const int RecoveryCodeCount = 10;
    private const string Issuer = "YTeSo";

    public Task<StaffAccount?> AccountAsync(HttpContext context) =>
        context.User.GetClaim(AccessClaims.Kind) == AccessClaims.Staff ? users.GetUserAsync(context.User) : System.Threading.Tasks.Task.FromResult<StaffAccount?>(null);

    public Task<bool> IsEnabledAsync(StaffAccount account) => users.GetTwoFactorEnabledAsync(account);

    public Task<int> RecoveryCodesLeftAsync(StaffAccount account) => users.CountRecoveryCodesAsync(account);

    /// <summary>The account's pending (or current) authenticator key, created on first use.</summary>
    public async Task<AuthenticatorSetup> SetupAsync(StaffAccount account)
    {
        var key = await users.GetAuthenticatorKeyAsync(account);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(account);
            key = await users.GetAuthenticatorKeyAsync(account) ?? throw new InvalidOperationException("Identity stored no authenticator key.");
        }

        // Key URI format of the authenticator apps: otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&digits=6&period=30
        var label = Uri.EscapeDataString($"{Issuer}:{account.UserName}");
        var uri = $"otpauth://totp/{label}?secret={key}&issuer={Issuer}&digits=6&period=30";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4);
        return new AuthenticatorSetup(Group(key), uri, svg);
    }

    /// <summary>Switches the factor on when <paramref name="code"/> is right; returns the recovery codes, or null.</summary>
    public async Task<IReadOnlyList<string>?> EnableAsync(HttpContext context, StaffAccount account, string code)
    {
        if (!await VerifyAsync(account, code))
        {
            await RecordAsync(context, AuditOutcomes.Denied, "two-factor enrolment: wrong authenticator code");
            return null;
        }

        await users.SetTwoFactorEnabledAsync(account, true);
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(account, RecoveryCodeCount) ?? [];
        await RecordAsync(context, AuditOutcomes.Success, "two-factor enabled");
        return [.. codes];
    }

    /// <summary>New recovery codes (the old ones stop working) when <paramref name="code"/> is right; null otherwise.</summary>
    public async Task<IReadOnlyList<string>?> RenewRecoveryCodesAsync(HttpContext context, StaffAccount account, string code)
    {
        if (!await VerifyAsync(account, code))
        {
            await RecordAsync(context, AuditOutcomes.Denied, "recovery codes: wrong authenticator code");
            return null;
        }

        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(account, RecoveryCodeCount) ?? [];
        await RecordAsync(context, AuditOutcomes.Success, "two-factor recovery codes renewed");
        return [.. codes];
    }

    /// <summary>Switches the factor off and forgets the key when <paramref name="code"/> is right.</summary>
    public async Task<bool> DisableAsync(HttpContext context, StaffAccount account, string code)
    {
        if (!await VerifyAsync(account, code))
        {
            await RecordAsync(context, AuditOutcomes.Denied, "two-factor removal: wrong authenticator code");
            return false;
        }

        await users.SetTwoFactorEnabledAsync(account, false);
        await users.ResetAuthenticatorKeyAsync(account);
        await RecordAsync(context, AuditOutcomes.Success, "two-factor disabled");
        return true;
    }

    private Task<bool> VerifyAsync(StaffAccount account, string code) =>
        users.VerifyTwoFactorTokenAsync(account, users.Options.Tokens.AuthenticatorTokenProvider, code.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal));

    private ValueTask RecordAsync(HttpContext context, string outcome, string detail) =>
        audit.RecordAsync(new AuditRecord(AuditActions.PermissionChange, outcome, AccessResolver.ActorOf(context.User, context), Detail: detail), context.RequestAborted);

    private static string Group(string key)
    {
        var grouped = new StringBuilder(key.Length + (key.Length / 4));
        for (var i = 0; i < key.Length; i++)
        {
            if (i > 0 && i % 4 == 0)
            {
                grouped.Append(' ');
            }

            grouped.Append(char.ToLowerInvariant(key[i]));
        }

        return grouped.ToString();
    }
}

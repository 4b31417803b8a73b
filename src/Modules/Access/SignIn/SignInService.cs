using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using YTeSo.Access.Accounts;
using YTeSo.Access.Authorization;
using YTeSo.Access.Persistence;
using YTeSo.Platform.Auditing;

namespace YTeSo.Access.SignIn;

/// <summary>What became of a staff sign-in attempt.</summary>
internal enum SignInResultKind
{
    SignedIn,
    Failed,
    LockedOut,
    NeedsCode,
    NoRole,
}

/// <summary>The outcome of a sign-in, with how long a locked account stays locked.</summary>
internal sealed record SignInOutcome(SignInResultKind Result, int LockoutMinutes = 0);

/// <summary>
/// Staff sign-in with password (Identity: PBKDF2 hash, lockout after repeated failures) and, where the account has
/// an authenticator, a TOTP second factor. Every attempt, right or wrong, goes to the audit trail.
/// </summary>
internal sealed class SignInService(SignInManager<StaffAccount> signIn, AccessDbContext db, IAuditTrail audit, TimeProvider clock)
{
    private readonly SignInManager<StaffAccount> _signIn = signIn;
    private readonly AccessDbContext _db = db;
    private readonly IAuditTrail _audit = audit;
    private readonly TimeProvider _clock = clock;

    public async Task<SignInOutcome> PasswordAsync(HttpContext context, string userName, string password, string? code)
    {
        var cancellationToken = context.RequestAborted;
        var account = await _signIn.UserManager.FindByNameAsync(userName);
        var actor = new AuditActor(account is null ? $"staff/unknown:{userName}" : $"staff/{account.Id}", account?.DisplayName ?? userName, SourceIp: context.Connection.RemoteIpAddress?.ToString());
        if (account is null)
        {
            await _audit.RecordAsync(new AuditRecord(AuditActions.SignIn, AuditOutcomes.Denied, actor, Detail: "unknown user name"), cancellationToken);
            return new SignInOutcome(SignInResultKind.Failed);
        }

        if (!await _db.Assignments.AnyAsync(a => a.AccountId == account.Id, cancellationToken))
        {
            await _audit.RecordAsync(new AuditRecord(AuditActions.SignIn, AuditOutcomes.Denied, actor, Detail: "no role at any facility"), cancellationToken);
            return new SignInOutcome(SignInResultKind.NoRole);
        }

        var result = await _signIn.CheckPasswordSignInAsync(account, password, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            var until = await _signIn.UserManager.GetLockoutEndDateAsync(account) ?? _clock.GetUtcNow();
            var minutes = Math.Max(1, (int)Math.Ceiling((until - _clock.GetUtcNow()).TotalMinutes));
            await _audit.RecordAsync(new AuditRecord(AuditActions.SignIn, AuditOutcomes.Denied, actor, Detail: $"locked out until {until:O}"), cancellationToken);
            return new SignInOutcome(SignInResultKind.LockedOut, minutes);
        }

        if (!result.Succeeded && !result.RequiresTwoFactor)
        {
            await _audit.RecordAsync(new AuditRecord(AuditActions.SignIn, AuditOutcomes.Denied, actor, Detail: "wrong password"), cancellationToken);
            return new SignInOutcome(SignInResultKind.Failed);
        }

        var method = "pwd";
        if (await _signIn.UserManager.GetTwoFactorEnabledAsync(account))
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                return new SignInOutcome(SignInResultKind.NeedsCode);
            }

            // Six digits are an authenticator code (RFC 6238); anything else is tried as a one-use recovery code
            // (Identity's "XXXXX-XXXXX"), which is then spent.
            var typed = code.Replace(" ", string.Empty, StringComparison.Ordinal);
            var recovery = !(typed.Length == 6 && typed.All(char.IsAsciiDigit));
            var valid = recovery
                ? (await _signIn.UserManager.RedeemTwoFactorRecoveryCodeAsync(account, typed)).Succeeded
                : await _signIn.UserManager.VerifyTwoFactorTokenAsync(account, TokenOptions.DefaultAuthenticatorProvider, typed);
            if (!valid)
            {
                await _signIn.UserManager.AccessFailedAsync(account);
                await _audit.RecordAsync(new AuditRecord(AuditActions.SignIn, AuditOutcomes.Denied, actor, Detail: recovery ? "wrong recovery code" : "wrong authenticator code"), cancellationToken);
                return new SignInOutcome(SignInResultKind.NeedsCode);
            }

            method = recovery ? "pwd recovery-code" : "pwd otp";
        }

        await _signIn.SignInAsync(account, isPersistent: false, authenticationMethod: method);
        var principal = await _signIn.CreateUserPrincipalAsync(account);
        await _audit.RecordAsync(new AuditRecord(AuditActions.SignIn, AuditOutcomes.Success, AccessResolver.ActorOf(principal, context), Detail: method), cancellationToken);
        return new SignInOutcome(SignInResultKind.SignedIn);
    }

    public async Task SignOutAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            await _audit.RecordAsync(new AuditRecord(AuditActions.SignOut, AuditOutcomes.Success, AccessResolver.ActorOf(context.User, context)), context.RequestAborted);
        }

        await _signIn.SignOutAsync();
    }

    /// <summary>A local path to go back to after sign-in; anything else (another site, <c>//host</c>) becomes the home page.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}

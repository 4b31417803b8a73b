using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Access.Contracts;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Access;

/// <summary>
/// A staff member turns on the TOTP second factor from the account page (scan, confirm with a code), after which
/// sign-in needs a code; a recovery code works exactly once; turning it off needs a current code; all of it audited.
/// </summary>
public sealed partial class AuthenticatorEnrolmentTests(AccessApp app) : IClassFixture<AccessApp>
{
    private const string Page = "tai-khoan/xac-thuc-hai-buoc";
    private const string Password = "Mat-khau-2026";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_administrator_enrols_an_authenticator_and_then_needs_a_code_or_a_recovery_code_to_sign_in()
    {
        var id = await app.CreateStaffAsync("qt-hai-buoc", Password, (AccessApp.FacilityA, StaffRoles.FacilityAdministrator));
        using var browser = app.CreateBrowserClient();
        await SignInAsync(browser, null, HttpStatusCode.Redirect);

        var page = await browser.GetStringAsync(Page, Ct);
        Assert.Contains("<svg", page, StringComparison.Ordinal);
        var key = Base32Decode(KeyOnPage().Match(page).Groups["key"].Value);
        Assert.Equal(20, key.Length); // Identity's 160-bit key (RFC 4226 recommends at least 128 bits)

        using (var wrong = await AccessApp.PostFormAsync(browser, Page, "enable-two-factor", new Dictionary<string, string> { ["EnableForm.Code"] = NotTheCode(key) }))
        {
            Assert.Contains("Mã không đúng", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        string[] recoveryCodes;
        using (var enabled = await AccessApp.PostFormAsync(browser, Page, "enable-two-factor", new Dictionary<string, string> { ["EnableForm.Code"] = Totp(key, DateTimeOffset.UtcNow) }))
        {
            var body = await enabled.Content.ReadAsStringAsync(Ct);
            Assert.Contains("Đã bật xác thực hai bước", body, StringComparison.Ordinal);
            recoveryCodes = [.. RecoveryCode().Matches(body).Select(m => m.Groups["code"].Value)];
        }

        Assert.Equal(10, recoveryCodes.Length);

        // Password alone is no longer enough; the page asks for the code.
        using var second = app.CreateBrowserClient();
        await SignInAsync(second, null, HttpStatusCode.OK);
        await SignInAsync(second, Totp(key, DateTimeOffset.UtcNow), HttpStatusCode.Redirect);

        // A recovery code signs in once; the same code a second time does not.
        using (var third = app.CreateBrowserClient())
        {
            await SignInAsync(third, recoveryCodes[0], HttpStatusCode.Redirect);
        }

        using (var fourth = app.CreateBrowserClient())
        {
            await SignInAsync(fourth, recoveryCodes[0], HttpStatusCode.OK);
        }

        Assert.Contains("Còn 9 mã khôi phục", await browser.GetStringAsync(Page, Ct), StringComparison.Ordinal);

        // Turning it off needs a current code; afterwards the password is enough again.
        using (var disabled = await AccessApp.PostFormAsync(browser, Page, "disable-two-factor", new Dictionary<string, string> { ["RemoveForm.Code"] = Totp(key, DateTimeOffset.UtcNow) }))
        {
            Assert.Contains("Đã tắt xác thực hai bước", await disabled.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var fifth = app.CreateBrowserClient())
        {
            await SignInAsync(fifth, null, HttpStatusCode.Redirect);
        }

        var trail = await app.Services.GetRequiredService<AuditQuery>().SearchAsync(new AuditFilter { ActorId = $"staff/{id}" }, null, 100, Ct);
        var details = trail.Records.OrderBy(r => r.Seq).Select(r => $"{r.Record.Action} {r.Record.Outcome} {r.Record.Detail}").ToList();
        Assert.Contains("permission-change denied two-factor enrolment: wrong authenticator code", details);
        Assert.Contains("permission-change success two-factor enabled", details);
        Assert.Contains("sign-in success pwd otp", details);
        Assert.Contains("sign-in success pwd recovery-code", details);
        Assert.Contains("sign-in denied wrong recovery code", details);
        Assert.Contains("permission-change success two-factor disabled", details);
        Assert.DoesNotContain(details, d => recoveryCodes.Any(c => d.Contains(c, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_page_is_for_signed_in_staff_only()
    {
        using var anonymous = app.CreateBrowserClient();

        using var response = await anonymous.GetAsync(Page, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dang-nhap", response.Headers.Location!.AbsolutePath);
    }

    private static async Task SignInAsync(HttpClient browser, string? code, HttpStatusCode expected)
    {
        var fields = new Dictionary<string, string> { ["Input.UserName"] = "qt-hai-buoc", ["Input.Password"] = Password };
        if (code is not null)
        {
            fields["Input.Code"] = code;
        }

        using var response = await AccessApp.PostFormAsync(browser, "dang-nhap", "sign-in", fields);
        Assert.True(expected == response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>RFC 6238 TOTP with the authenticator apps' parameters: HMAC-SHA1, 30-second steps, 6 digits.</summary>
    private static string Totp(byte[] key, DateTimeOffset at)
    {
        var counter = BitConverter.GetBytes(at.ToUnixTimeSeconds() / 30);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }

#pragma warning disable CA5350 // RFC 6238 fixes HMAC-SHA1 for the codes authenticator apps show; as an HMAC it is not weak
        var hash = HMACSHA1.HashData(key, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A code that is wrong in every step Identity accepts (it allows a couple of steps of clock drift).</summary>
    private static string NotTheCode(byte[] key)
    {
        var now = DateTimeOffset.UtcNow;
        var valid = Enumerable.Range(-3, 7).Select(step => Totp(key, now.AddSeconds(step * 30))).ToHashSet();
        return Enumerable.Range(0, 1000).Select(i => i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(c => !valid.Contains(c));
    }

    private static byte[] Base32Decode(string text)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = string.Concat(text.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant()
            .Select(c => Convert.ToString(Alphabet.IndexOf(c, StringComparison.Ordinal), 2).PadLeft(5, '0')));
        return [.. Enumerable.Range(0, bits.Length / 8).Select(i => Convert.ToByte(bits.Substring(i * 8, 8), 2))];
    }

    [GeneratedRegex("data-testid=\"authenticator-key\">(?<key>[a-z2-7 ]+)<")]
    private static partial Regex KeyOnPage();

    [GeneratedRegex("<li><code>(?<code>[A-Z0-9]{5}-[A-Z0-9]{5})</code></li>")]
    private static partial Regex RecoveryCode();
}

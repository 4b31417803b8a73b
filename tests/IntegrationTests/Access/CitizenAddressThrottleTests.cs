namespace YTeSo.IntegrationTests.Access;

/// <summary>One address asking codes for many citizens (SMS bombing, or a script walking a list) is cut off.</summary>
public sealed class CitizenAddressThrottleTests(CitizenAddressThrottleTests.BusyAddressApp app) : IClassFixture<CitizenAddressThrottleTests.BusyAddressApp>
{
    /// <summary>The citizen host with a per-address limit of two codes an hour.</summary>
    public sealed class BusyAddressApp : CitizenApp
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
        {
            ["Security:CitizenSignIn:CodesPerAddressPerHour"] = "2",
        };
    }

    [Fact]
    public async Task An_address_gets_no_more_codes_than_its_hourly_limit_and_the_same_answer()
    {
        using var browser = app.CreateBrowserClient();
        foreach (var n in new[] { "201", "202", "203" })
        {
            await app.CreateCitizenAsync("066199000" + n, "0912000" + n);
            var page = await CitizenApp.RequestCodeAsync(browser, "066199000" + n, "0912000" + n);
            Assert.Contains("Nếu số định danh và số điện thoại khớp với hồ sơ", page, StringComparison.Ordinal);
        }

        Assert.Single(app.Sms.MessagesTo("+84912000201"));
        Assert.Single(app.Sms.MessagesTo("+84912000202"));
        Assert.Empty(app.Sms.MessagesTo("+84912000203"));

        app.Clock.Advance(TimeSpan.FromMinutes(61));
        await CitizenApp.RequestCodeAsync(browser, "066199000203", "0912000203");
        Assert.Single(app.Sms.MessagesTo("+84912000203"));
    }
}

using YTeSo.Access.CitizenSignIn;
using YTeSo.Fhir.DemoData;

namespace YTeSo.UnitTests.Access;

/// <summary>What citizens type on the sign-in form: a 12-digit CCCD and a Vietnamese mobile number in any common form.</summary>
public sealed class CitizenIdentifiersTests
{
    [Theory]
    [InlineData("066199000101", "066199000101")]
    [InlineData(" 066 199 000 101 ", "066199000101")]
    [InlineData("066.199.000.101", "066199000101")]
    [InlineData("06619900010", null)]
    [InlineData("0661990001012", null)]
    [InlineData("06619900010A", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_cccd_is_twelve_digits(string? typed, string? expected) =>
        Assert.Equal(expected, CitizenIdentifiers.NormalizeCccd(typed));

    [Theory]
    [InlineData("0912345678", "+84912345678")]
    [InlineData("0912 345 678", "+84912345678")]
    [InlineData("+84 912 345 678", "+84912345678")]
    [InlineData("+84912345678", "+84912345678")]
    [InlineData("84912345678", "+84912345678")]
    [InlineData("0084912345678", "+84912345678")]
    [InlineData("(091) 234-5678", "+84912345678")]
    [InlineData("0389.000.101", "+84389000101")]
    [InlineData("912345678", "+84912345678")]
    [InlineData("02623812345", null)]
    [InlineData("091234567", null)]
    [InlineData("09123456789", null)]
    [InlineData("+1 202 555 0100", null)]
    [InlineData("abc", null)]
    public void A_mobile_number_is_written_in_e164(string typed, string? expected) =>
        Assert.Equal(expected, CitizenIdentifiers.NormalizeMobile(typed));

    [Fact]
    public void The_sign_in_looks_up_the_cccd_system_the_demo_data_writes() =>
        Assert.Equal(DemoFhirSystems.Cccd, CitizenIdentifiers.CccdSystem);

    [Fact]
    public void A_masked_cccd_keeps_only_the_last_four_digits() =>
        Assert.Equal("********0101", CitizenIdentifiers.Masked("066199000101"));
}

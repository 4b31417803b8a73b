using Hl7.Fhir.Model;
using YTeSo.Fhir.Serialization;

namespace YTeSo.UnitTests.Serialization;

/// <summary>What the store's parser refuses and what it tolerates (ADR 0004).</summary>
public sealed class FhirSerializersTests
{
    private readonly FhirSerializers _serializers = new();

    [Theory]
    [InlineData("impossible date", """{"resourceType":"Patient","birthDate":"1990-02-30"}""")]
    [InlineData("malformed dateTime", """{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},"period":{"start":"hôm qua"}}""")]
    [InlineData("wrong datatype", """{"resourceType":"Patient","active":"yes"}""")]
    [InlineData("text where a decimal belongs", """{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":"abc"}}""")]
    [InlineData("unknown element", """{"resourceType":"Patient","tenBenhNhan":"x"}""")]
    [InlineData("code outside a required value set", """{"resourceType":"Patient","gender":"khac"}""")]
    public void Unreadable_or_ambiguous_data_is_refused(string why, string json)
    {
        var error = Assert.Throws<FhirParseException>(() => _serializers.ParseJson(json));

        Assert.NotEmpty(error.Messages);
        Assert.DoesNotContain(error.Messages, string.IsNullOrWhiteSpace);
        Assert.False(string.IsNullOrEmpty(why));
    }

    [Fact]
    public void A_string_over_the_one_megabyte_limit_of_FHIR_is_refused()
    {
        var json = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + new string('A', (1024 * 1024) + 1) + "\"}]}";

        Assert.Throws<FhirParseException>(() => _serializers.ParseJson(json));
    }

    [Fact]
    public void A_missing_mandatory_element_is_kept_as_sent()
    {
        var resource = _serializers.ParseJson("""{"resourceType":"Observation","code":{"text":"Huyết áp"}}""");

        var observation = Assert.IsType<Observation>(resource);
        Assert.Null(observation.Status);
        Assert.Equal("Huyết áp", observation.Code.Text);
    }

    [Fact]
    public void A_uri_that_breaks_the_literal_rules_is_kept_as_sent()
    {
        var resource = _serializers.ParseJson("""{"resourceType":"CapabilityStatement","url":"urn:uuid:68D043B5-9ECF-4559-A57A-396E0D452311","status":"draft","date":"2024-01-01","kind":"instance","fhirVersion":"4.0.1","format":["json"]}""");

        Assert.Equal("urn:uuid:68D043B5-9ECF-4559-A57A-396E0D452311", Assert.IsType<CapabilityStatement>(resource).Url);
    }

    [Fact]
    public void A_decimal_beyond_the_range_of_System_Decimal_round_trips_unchanged()
    {
        const string json = """{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":-1.000000000000000000E+245,"unit":"g"}}""";

        var parsed = _serializers.ParseJson(json);
        var written = _serializers.ToJson(parsed);
        var xml = System.Text.Encoding.UTF8.GetString(_serializers.ToXmlBytes(parsed));

        Assert.Contains("\"value\":-1.000000000000000000E+245", written, StringComparison.Ordinal);
        Assert.Contains("value=\"-1.000000000000000000E+245\"", xml, StringComparison.Ordinal);
    }
}

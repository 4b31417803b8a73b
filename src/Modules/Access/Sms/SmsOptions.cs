using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using YTeSo.Access.Contracts;

namespace YTeSo.Access.Sms;

/// <summary>
/// <c>Security:Sms:Provider</c>: which <see cref="ISmsGateway"/> sends citizens their codes. <c>Simulator</c> is allowed
/// anywhere it is set explicitly (tests, a training server) and is the default only in Development; with nothing set
/// outside Development no SMS is sent at all, so a production server can never fall back to the simulator silently.
/// </summary>
internal static class SmsOptions
{
    public const string Simulator = "Simulator";

    public static ISmsGateway Choose(IServiceProvider services)
    {
        var provider = services.GetRequiredService<IConfiguration>()["Security:Sms:Provider"];
        var development = services.GetRequiredService<IHostEnvironment>().IsDevelopment();
        return provider switch
        {
            Simulator => services.GetRequiredService<SimulatedSmsGateway>(),
            null or "" when development => services.GetRequiredService<SimulatedSmsGateway>(),
            null or "" => new UnconfiguredSmsGateway(),
            _ => throw new InvalidOperationException($"Security:Sms:Provider '{provider}' is not known. Supported: '{Simulator}' (development, tests and training only)."),
        };
    }
}

/// <summary>No provider configured outside Development: citizen sign-in cannot send codes (and says nothing more).</summary>
internal sealed class UnconfiguredSmsGateway : ISmsGateway
{
    public Task SendAsync(string phoneNumber, string text, CancellationToken cancellationToken) =>
        throw new SmsDeliveryException("No SMS gateway is configured (Security:Sms:Provider).");
}

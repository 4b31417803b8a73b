using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using YTeSo.Access.Contracts;

namespace YTeSo.Access.Sms;

/// <summary>
/// <c>Security:Sms:Provider</c>: which <see cref="ISmsGateway"/> sends citizens their codes. <c>Simulator</c> is allowed
/// anywhere it is set explicitly (tests, a training server) and is the default only in Development; with nothing set
/// outside Development no SMS is sent at all, so a production server can never fall back to the simulator silently.
/// </summary>
internal static partial class SmsOptions
{
    public const string Simulator = "Simulator";

    public static ISmsGateway Choose(IServiceProvider services)
    {
        var provider = services.GetRequiredService<IConfiguration>()["Security:Sms:Provider"];
        var development = services.GetRequiredService<IHostEnvironment>().IsDevelopment();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SmsOptions));
        switch (provider)
        {
            case Simulator:
            case null or "" when development:
                // Said once at start, so whoever runs the demo knows where the citizens' codes are.
                LogSimulator(logger);
                return services.GetRequiredService<SimulatedSmsGateway>();
            case null or "":
                LogNoGateway(logger);
                return new UnconfiguredSmsGateway();
            default:
                throw new InvalidOperationException($"Security:Sms:Provider '{provider}' is not known. Supported: '{Simulator}' (development, tests and training only).");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Citizen sign-in uses the SMS simulator: codes are NOT sent, they are written to this log as \"SIMULATED SMS\" (Security:Sms:Provider).")]
    private static partial void LogSimulator(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "No SMS gateway is configured (Security:Sms:Provider): citizens cannot sign in.")]
    private static partial void LogNoGateway(ILogger logger);
}

/// <summary>No provider configured outside Development: citizen sign-in cannot send codes (and says nothing more).</summary>
internal sealed class UnconfiguredSmsGateway : ISmsGateway
{
    public Task SendAsync(string phoneNumber, string text, CancellationToken cancellationToken) =>
        throw new SmsDeliveryException("No SMS gateway is configured (Security:Sms:Provider).");
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using YTeSo.Access.Contracts;

namespace YTeSo.Access.Sms;

/// <summary>A text message the simulator did not send.</summary>
internal sealed record SimulatedSms(string PhoneNumber, string Text, DateTimeOffset SentAt);

/// <summary>
/// The development and test stand-in for an SMS provider: nothing leaves the machine. Each message goes to the log
/// (a warning, so the demo shows it) and the last few per phone number stay in memory for tests and the demo.
/// Never the default outside Development (<see cref="SmsOptions"/>).
/// </summary>
internal sealed partial class SimulatedSmsGateway(ILogger<SimulatedSmsGateway> logger, TimeProvider clock) : ISmsGateway
{
    private const int KeptPerPhone = 10;

    private readonly ConcurrentDictionary<string, ConcurrentQueue<SimulatedSms>> _messages = new(StringComparer.Ordinal);

    public Task SendAsync(string phoneNumber, string text, CancellationToken cancellationToken)
    {
        var queue = _messages.GetOrAdd(phoneNumber, _ => new ConcurrentQueue<SimulatedSms>());
        queue.Enqueue(new SimulatedSms(phoneNumber, text, clock.GetUtcNow()));
        while (queue.Count > KeptPerPhone && queue.TryDequeue(out _))
        {
        }

        LogSimulated(logger, phoneNumber, text);
        return Task.CompletedTask;
    }

    /// <summary>The messages "sent" to a phone number (E.164), oldest first.</summary>
    public IReadOnlyList<SimulatedSms> MessagesTo(string phoneNumber) =>
        _messages.TryGetValue(phoneNumber, out var queue) ? [.. queue] : [];

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIMULATED SMS (not sent; Security:Sms:Provider=Simulator) to {PhoneNumber}: {Text}")]
    private static partial void LogSimulated(ILogger logger, string phoneNumber, string text);
}

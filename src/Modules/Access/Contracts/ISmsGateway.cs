namespace YTeSo.Access.Contracts;

/// <summary>
/// The boundary to the outside SMS provider (a Vietnamese telecom's brand-name SMS API, chosen by the Department).
/// Chosen by <c>Security:Sms:Provider</c>; the only implementation today is the development simulator, which never
/// leaves the machine. See docs/security.md §7.
/// </summary>
public interface ISmsGateway
{
    /// <summary>Sends one text message; throws <see cref="SmsDeliveryException"/> when the provider refuses it.</summary>
    /// <param name="phoneNumber">The recipient in E.164 form (<c>+84…</c>).</param>
    /// <param name="text">The message, at most one SMS (160 GSM characters or 70 with Vietnamese diacritics).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    Task SendAsync(string phoneNumber, string text, CancellationToken cancellationToken);
}

/// <summary>The SMS provider did not accept a message (or no provider is configured).</summary>
public sealed class SmsDeliveryException : Exception
{
    /// <summary>A delivery failure with the reason.</summary>
    public SmsDeliveryException(string message)
        : base(message)
    {
    }

    /// <summary>A delivery failure caused by another error (network, provider API).</summary>
    public SmsDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A delivery failure without details.</summary>
    public SmsDeliveryException()
    {
    }
}

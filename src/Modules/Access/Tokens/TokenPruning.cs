using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using YTeSo.Platform.Jobs;

namespace YTeSo.Access.Tokens;

/// <summary>
/// Every client-credentials token and authorization code leaves a row in OpenIddict's tables; a hospital system that
/// asks for a token every 15 minutes writes 35,000 a year. Hourly, rows older than a day that are no longer valid
/// (expired, redeemed, revoked) are removed, with authorizations left without tokens. A day keeps refresh-token
/// replay detection and leaves the sign-in audit trail, not these rows, as the record of who got a token.
/// </summary>
internal sealed class TokenPruning(IServiceScopeFactory scopes, TimeProvider clock, ILogger<TokenPruning> logger) : PeriodicJob(clock, logger)
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);

    private readonly TimeProvider _clock = clock;

    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    public override async Task<string?> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var threshold = _clock.GetUtcNow() - KeptFor;
        var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, cancellationToken);
        var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, cancellationToken);
        return tokens + authorizations > 0 ? $"removed {tokens} tokens and {authorizations} authorizations older than {threshold:O}" : null;
    }
}

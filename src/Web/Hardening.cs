using System.Security.Claims;
using System.Threading.RateLimiting;
using YTeSo.Access;

namespace YTeSo.Web;

/// <summary>
/// What every response gets regardless of module: rate limits per client/account (and per IP for sign-in and token
/// requests), secure headers, CORS only for configured origins, no caching of personal data, and a health check.
/// docs/security.md §Hardening.
/// </summary>
internal static class Hardening
{
    private const string CorsPolicy = "configured-origins";

    public static IServiceCollection AddHardening(this IServiceCollection services, IConfiguration configuration)
    {
        var options = AccessOptions.From(configuration);
        services.AddHealthChecks();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var response = context.HttpContext.Response;
                response.Headers.RetryAfter = "60";
                // A FHIR client gets an OperationOutcome it can show; everyone else a short problem document.
                if (context.HttpContext.Request.Path.StartsWithSegments("/fhir"))
                {
                    response.ContentType = "application/fhir+json";
                    await response.WriteAsync("""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"throttled","diagnostics":"Too many requests: wait a minute and retry."}]}""", cancellationToken);
                }
                else
                {
                    response.ContentType = "application/problem+json";
                    await response.WriteAsync("""{"title":"Too many requests","status":429,"detail":"Wait a minute and retry."}""", cancellationToken);
                }
            };
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                // Guessing passwords or client secrets: few attempts per minute from one address.
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsCredentialAttempt(context.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter("sign-in:" + context.Connection.RemoteIpAddress, _ => Window(options.SignInAttemptsPerMinute))
                    : RateLimitPartition.GetNoLimiter(string.Empty)),
                // Everything else: per account or client once known, per address before that.
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                {
                    var who = context.User.FindFirstValue("sub") ?? context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "ip:" + context.Connection.RemoteIpAddress;
                    return RateLimitPartition.GetFixedWindowLimiter(who, _ => Window(options.RequestsPerMinute));
                }));
        });
        if (options.CorsOrigins.Count > 0)
        {
            services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
                .WithOrigins([.. options.CorsOrigins])
                .AllowAnyHeader()
                .AllowAnyMethod()
                .WithExposedHeaders("Location", "ETag", "Last-Modified", "Content-Location")));
        }

        return services;
    }

    /// <summary>Headers and CORS, before authentication so refusals carry them too.</summary>
    public static WebApplication UseHardening(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<AccessOptions>();
        if (options.RequireHttps && !app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(self), microphone=(self), geolocation=(self)";
            if (!AccessModule.IsApi(context.Request.Path))
            {
                headers.XFrameOptions = "DENY";
                // MudBlazor styles elements inline; scripts only from the hub itself.
                headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";
            }

            context.Response.OnStarting(() =>
            {
                // Personal data must not linger in shared proxies or the browser cache of a commune computer.
                if (context.User.Identity?.IsAuthenticated == true && !context.Response.Headers.ContainsKey("Cache-Control"))
                {
                    context.Response.Headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            });
            await next(context);
        });
        if (options.CorsOrigins.Count > 0)
        {
            app.UseCors(CorsPolicy);
        }

        return app;
    }

    /// <summary>Rate limiting needs the caller, so it runs after authentication.</summary>
    public static WebApplication UseRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health").AllowAnonymous().DisableRateLimiting();
        return app;
    }

    private static bool IsCredentialAttempt(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && (request.Path.StartsWithSegments("/connect/token") || request.Path.StartsWithSegments("/dang-nhap")
            || request.Path.StartsWithSegments("/cong-dan/dang-nhap")
            // The licensing procedure's public forms: guessing an application's key, or flooding the Department with
            // applications, counts like guessing a password (docs/registry.md).
            || request.Path.StartsWithSegments("/giay-phep/tra-cuu") || request.Path.StartsWithSegments("/giay-phep/nop-ho-so"));

    private static FixedWindowRateLimiterOptions Window(int permits) =>
        new() { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 };
}

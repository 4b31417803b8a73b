namespace YTeSo.Web;

/// <summary>The Blazor web shell.</summary>
internal static class WebUi
{
    public static IServiceCollection AddWebUi(this IServiceCollection services)
    {
        return services;
    }

    public static WebApplication MapWebUi(this WebApplication app)
    {
        return app;
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;
using YTeSo.Web.Components;

namespace YTeSo.Web;

/// <summary>
/// The Blazor web shell: static server rendering with MudBlazor, Vietnamese first (vi-VN: dd/MM/yyyy, VND) and
/// English as the second language, chosen by a cookie (ADR 0005).
/// </summary>
internal static class WebUi
{
    public static readonly CultureInfo[] Cultures = [new("vi-VN"), new("en")];

    /// <summary>Modules whose pages the router serves beside the shell's own.</summary>
    public static readonly System.Reflection.Assembly[] ModuleAssemblies = [typeof(YTeSo.Access.AccessModule).Assembly, typeof(YTeSo.Patients.PatientsModule).Assembly, typeof(YTeSo.Registry.RegistryModule).Assembly];

    public static IServiceCollection AddWebUi(this IServiceCollection services)
    {
        services.AddRazorComponents();
        // Vietnamese text goes out as UTF-8, not as &#x...; entities: pages are a third smaller and readable in source.
        services.AddSingleton(System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All));
        services.AddMudServices();
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(Cultures[0]);
            options.SupportedCultures = Cultures;
            options.SupportedUICultures = Cultures;
            // Only the user's explicit choice (cookie) switches language; the browser's Accept-Language does not,
            // because staff on shared commune computers expect Vietnamese whatever the browser says.
            options.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });
        return services;
    }

    public static WebApplication MapWebUi(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/loi", createScopeForErrors: true);
        }

        app.UseRequestLocalization();
        app.UseStatusCodePagesWithReExecute("/khong-tim-thay");
        app.UseAntiforgery();
        // The sign-in page needs its styles and the language switch before anyone is signed in.
        app.MapStaticAssets().AllowAnonymous();
        app.MapGet("/ngon-ngu", ChooseLanguage).AllowAnonymous().ExcludeFromDescription();
        app.MapRazorComponents<App>().AddAdditionalAssemblies(ModuleAssemblies);
        return app;
    }

    /// <summary>Stores the chosen language in the standard culture cookie and goes back to where the user was.</summary>
    private static RedirectHttpResult ChooseLanguage(HttpContext context, TimeProvider clock, string culture, string? returnUrl)
    {
        if (Cultures.Any(c => c.Name == culture))
        {
            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = clock.GetUtcNow().AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
        }

        // Only local paths: an open redirect would let a phishing link borrow the hub's address.
        return TypedResults.LocalRedirect(returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/");
    }
}

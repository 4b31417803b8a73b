using Microsoft.AspNetCore.Http;

namespace YTeSo.Access.CitizenSignIn;

/// <summary><c>POST /cong-dan/dang-xuat</c>: ends the citizen's session (antiforgery-checked, like the staff sign-out).</summary>
internal static class CitizenSignOutEndpoint
{
    public static async Task<IResult> Handle(HttpContext context, CitizenSignInHandler signIn)
    {
        await signIn.SignOutAsync(context);
        return Results.LocalRedirect(CitizenSession.SignInPath + "?signedOut=1");
    }
}

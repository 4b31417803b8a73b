using Microsoft.AspNetCore.Http;

namespace YTeSo.Access.SignIn;

/// <summary><c>POST /dang-xuat</c>: ends the staff session (antiforgery-checked: a link elsewhere cannot sign people out).</summary>
internal static class SignOutEndpoint
{
    public static async Task<IResult> Handle(HttpContext context, SignInService signIn)
    {
        await signIn.SignOutAsync(context);
        return Results.LocalRedirect("/dang-nhap?signedOut=1");
    }
}

using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MSSante.Webmail.Authentication;
using MSSante.Webmail.DemoSignIn;

namespace MSSante.Webmail.Components.Pages.Login;

/// <summary>
/// The card login page. Rendered statically: the work happens in the browser
/// (assets/js/card-login.js), which talks to the bridge on 127.0.0.1 and posts the signed
/// challenge to the server, so that the session cookie is set by an ordinary HTTP answer.
/// </summary>
public partial class Login
{
    [Inject]
    private IOptions<CardLoginOptions> Options { get; set; } = default!;

    [CascadingParameter]
    private HttpContext? HttpContext { get; set; }

    /// <summary>Why the user is here: <c>retrait</c> after the card was removed.</summary>
    [SupplyParameterFromQuery(Name = "motif")]
    private string? Reason { get; set; }

    private bool DemoAvailable => HttpContext is not null && DemoSignInExtensions.IsDemoSignInAvailable(HttpContext);
}

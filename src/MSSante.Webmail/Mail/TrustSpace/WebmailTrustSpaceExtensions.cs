using Microsoft.AspNetCore.Authentication.Cookies;
using MSSante.Infrastructure.TrustSpace;
using MSSante.Webmail.Security;

namespace MSSante.Webmail.Mail.TrustSpace;

/// <summary>
/// Registers the trust space in the webmail: the whitelist, the national directory and the audit
/// trail (with their scheduled imports and purge), the check made before sending, service
/// mailbox delegation, and the audit of sign-ins.
/// </summary>
public static class WebmailTrustSpaceExtensions
{
    public static WebApplicationBuilder AddWebmailTrustSpace(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddMSSanteTrustSpace(builder.Configuration);
        builder.Services.AddOptions<WebmailTrustSpaceOptions>()
            .Bind(builder.Configuration.GetSection(WebmailTrustSpaceOptions.SectionName))
            .Validate(o => o.OperatorDomains.All(d => !string.IsNullOrWhiteSpace(d) && !d.Contains('@', StringComparison.Ordinal)),
                "TrustSpace:OperatorDomains must hold domain names such as ch-exemple.mssante.fr.")
            .ValidateOnStart();
        builder.Services.AddSingleton<MailAudit>();
        builder.Services.AddSingleton<DelegationNotifier>();
        builder.Services.AddSingleton<DelegationService>();
        builder.Services.AddSingleton<SendGuard>();
        builder.Services.PostConfigure<CookieAuthenticationOptions>(WebmailSession.Scheme, LoginAudit.AuditSignIns);
        return builder;
    }
}

namespace MSSante.Webmail.Mail;

/// <summary>Registers the mail area: options, token minting, connections, the per-circuit session.</summary>
public static class MailServiceCollectionExtensions
{
    public static WebApplicationBuilder AddWebmailMail(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<OperatorMailOptions>().Bind(builder.Configuration.GetSection(OperatorMailOptions.SectionName)).ValidateDataAnnotations();
        builder.Services.AddOptions<OperatorTokenOptions>().Bind(builder.Configuration.GetSection(OperatorTokenOptions.SectionName)).ValidateDataAnnotations();
        builder.Services.AddOptions<WebmailMailOptions>().Bind(builder.Configuration.GetSection(WebmailMailOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IOperatorTokenSource, OperatorTokenSource>();
        builder.Services.AddSingleton<MailConnector>();
        // Scoped = one per Blazor circuit: one IMAP connection per open tab.
        builder.Services.AddScoped<MailSession>();
        builder.Services.AddScoped<MessageSender>();
        return builder;
    }
}

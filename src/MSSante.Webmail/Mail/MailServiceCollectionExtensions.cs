using Microsoft.Extensions.DependencyInjection.Extensions;
using MSSante.Domain.NationalDirectory;
using MSSante.Infrastructure.NationalDirectory;
using MSSante.Webmail.Mail.Compose;

namespace MSSante.Webmail.Mail;

/// <summary>Registers the mail area: options, token minting, connections, the per-circuit session.</summary>
public static class MailServiceCollectionExtensions
{
    public static WebApplicationBuilder AddWebmailMail(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<OperatorMailOptions>().Bind(builder.Configuration.GetSection(OperatorMailOptions.SectionName)).ValidateDataAnnotations();
        // The Infrastructure issuer, key read on first use: tokens are minted when the mail connector connects.
        builder.Services.AddOptions<MSSante.Infrastructure.Operator.OperatorTokenOptions>()
            .Bind(builder.Configuration.GetSection(MSSante.Infrastructure.Operator.OperatorTokenOptions.SectionName)).ValidateDataAnnotations();
        builder.Services.AddSingleton<MSSante.Infrastructure.Operator.IOperatorTokenIssuer, MSSante.Infrastructure.Operator.OperatorTokenIssuer>();
        builder.Services.AddOptions<WebmailMailOptions>().Bind(builder.Configuration.GetSection(WebmailMailOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IOperatorTokenSource>(sp => new OperatorTokenSource(sp.GetRequiredService<MSSante.Infrastructure.Operator.IOperatorTokenIssuer>()));
        builder.Services.AddSingleton<MailConnector>();
        // Scoped = one per Blazor circuit: one IMAP connection per open tab.
        builder.Services.AddScoped<MailSession>();
        builder.Services.AddScoped<MessageSender>();
        Receipts.ReceiptsServiceCollectionExtensions.AddWebmailReceiptsAndAbsence(builder);
        // Recipient autocomplete: recent correspondents per circuit, and the national directory
        // (the same registration as the trust space's, whichever area registers first).
        builder.Services.TryAddSingleton<DirectorySearchService>();
        builder.Services.TryAddSingleton<IDirectorySearch>(sp => sp.GetRequiredService<DirectorySearchService>());
        builder.Services.AddScoped<RecipientSuggestions>();
        // Rendered reading-pane documents, per host (section ReadingPane).
        MSSante.Infrastructure.HtmlSanitizing.HtmlSanitizingServiceCollectionExtensions.AddMessageDocumentCache(builder.Services, builder.Configuration);
        return builder;
    }
}

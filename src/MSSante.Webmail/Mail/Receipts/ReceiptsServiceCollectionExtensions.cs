using MSSante.Webmail.Mail.Absence;

namespace MSSante.Webmail.Mail.Receipts;

/// <summary>Registers read receipts, receipt tracking and the absence (ManageSieve) service.</summary>
public static class ReceiptsServiceCollectionExtensions
{
    public static WebApplicationBuilder AddWebmailReceiptsAndAbsence(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ManageSieveOptions>().Bind(builder.Configuration.GetSection(ManageSieveOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        // Scoped = one per circuit: the report cache lives as long as the tab.
        builder.Services.AddScoped<ReadReceiptService>();
        builder.Services.AddScoped<ReceiptTracker>();
        builder.Services.AddScoped<AbsenceService>();
        // The absences the directory page shows (dates and contact only); stateless, shared.
        builder.Services.AddSingleton<MSSante.Infrastructure.NationalDirectory.AbsenceNoticeStore>();
        return builder;
    }
}

using System.Globalization;
using System.Text;
using MSSante.Domain.Audit;
using MSSante.Webmail.Mail;
using MSSante.Webmail.Mail.TrustSpace;
using MSSante.Webmail.Security;

namespace MSSante.Webmail.Endpoints.Audit;

/// <summary>
/// The CSV export of the "who accessed my mailboxes" page: the entries of the signed-in
/// person's own mailbox and of the service mailboxes they administer, never anyone else's.
/// </summary>
public static class AuditEndpoints
{
    /// <summary>Path of the export; the page builds its link with the same query parameters.</summary>
    public const string ExportPath = "/journal/export.csv";

    public static IEndpointConventionBuilder MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet(ExportPath, ExportAsync).RequireAuthorization();
    }

    private static async Task<IResult> ExportAsync(HttpContext context, IAuditTrail trail, DelegationService delegations,
        string? du, string? au, string? action, string? boite)
    {
        var identity = WebmailIdentity.FromPrincipal(context.User);
        if (identity is null || identity.Mailboxes.Count == 0)
        {
            return Results.Forbid();
        }
        var visible = await AuditScope.VisibleMailboxesAsync(identity, delegations, context.RequestAborted);
        var query = AuditScope.Query(visible, boite, ParseDate(du), ParseDate(au), ParseAction(action));
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"journal-acces-{DateTime.UtcNow:yyyyMMdd-HHmm}.csv\"";
        context.Response.Headers.CacheControl = "no-store";
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        await AuditCsv.WriteAsync(writer, trail.ReadAsync(query, context.RequestAborted), context.RequestAborted);
        return Results.Empty;
    }

    private static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static AuditAction? ParseAction(string? value) =>
        Enum.TryParse<AuditAction>(value, ignoreCase: false, out var a) && Enum.IsDefined(a) ? a : null;
}

/// <summary>Which mailboxes' entries a person may read, and the query the page and the export share.</summary>
public static class AuditScope
{
    /// <summary>The person's own mailbox, then the service mailboxes they administer (asked to the operator).</summary>
    public static async Task<IReadOnlyList<string>> VisibleMailboxesAsync(WebmailIdentity identity, DelegationService delegations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(delegations);
        var own = identity.Mailboxes[0];
        var owned = await delegations.ListOwnedAsync(new MailUser(identity.IdNat, own), cancellationToken);
        return [own, .. owned.Where(m => !m.Equals(own, StringComparison.OrdinalIgnoreCase))];
    }

    /// <summary>
    /// The query: one of the visible mailboxes (or all of them), dates as whole days in French
    /// time (the end day included), an action or all.
    /// </summary>
    public static AuditQuery Query(IReadOnlyList<string> visible, string? mailbox, DateOnly? from, DateOnly? to, AuditAction? action, int page = 0, int pageSize = 50)
    {
        ArgumentNullException.ThrowIfNull(visible);
        IReadOnlyCollection<string> mailboxes = !string.IsNullOrEmpty(mailbox) && visible.Contains(mailbox, StringComparer.OrdinalIgnoreCase) ? [mailbox] : visible;
        return new AuditQuery(
            mailboxes,
            from is { } f ? StartOfDay(f) : null,
            to is { } t ? StartOfDay(t.AddDays(1)) : null,
            action is { } a ? [a] : null,
            Page: page,
            PageSize: pageSize);
    }

    private static DateTimeOffset StartOfDay(DateOnly day)
    {
        var zone = FrenchTime;
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>Europe/Paris, or UTC where the time zone database is missing.</summary>
    public static TimeZoneInfo FrenchTime { get; } = TimeZoneInfo.TryFindSystemTimeZoneById("Europe/Paris", out var z) ? z : TimeZoneInfo.Utc;
}

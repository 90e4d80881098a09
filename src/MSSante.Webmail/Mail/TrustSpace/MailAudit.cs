using MSSante.Domain.Audit;

namespace MSSante.Webmail.Mail.TrustSpace;

/// <summary>
/// Writes mail actions to the audit trail. A failure to write is logged as an error but never
/// undoes or hides the action the user made: the mail server has already answered by then.
/// Only identifiers reach the trail (UID, Message-ID), never subjects, bodies or names of files.
/// </summary>
public sealed partial class MailAudit(IAuditTrail trail, ILogger<MailAudit> logger)
{
    /// <summary>Appends <paramref name="record"/>; never throws (except for cancellation of the host).</summary>
    public async Task RecordAsync(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            // Not the caller's token: a page closed just after the action must not lose its trace.
            await trail.AppendAsync(record, CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogAuditFailed(logger, record.Action, e);
        }
    }

    /// <summary>Records one action per message of <paramref name="uids"/>.</summary>
    public async Task RecordEachAsync(MailUser user, string mailbox, AuditAction action, IEnumerable<uint> uids, bool success, string? serverResponse, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        foreach (var uid in uids)
        {
            await RecordAsync(new AuditRecord(user.IdNat, mailbox, action, success, uid, null, serverResponse, detail));
        }
    }

    /// <summary>The server's answer as kept in the trail: "OK" on success, the refusal text otherwise.</summary>
    public static string Answer(Exception? failure) => failure switch
    {
        null => "OK",
        MSSante.Mail.MailCommandException c => "NO " + c.ServerText,
        _ => failure.GetType().Name,
    };

    [LoggerMessage(EventId = 7301, Level = LogLevel.Error, Message = "Could not write the audit entry for a {Action} action")]
    private static partial void LogAuditFailed(ILogger logger, AuditAction action, Exception exception);
}

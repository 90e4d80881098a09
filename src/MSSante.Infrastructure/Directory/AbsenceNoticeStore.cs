using Microsoft.EntityFrameworkCore;
using MSSante.Infrastructure.Persistence;

namespace MSSante.Infrastructure.NationalDirectory;

/// <summary>
/// The absences shown in the directory, one per mailbox. Thread-safe (a context per call), so
/// one instance serves every circuit. "Today" is the host's local date, the calendar in which
/// the practitioner typed the dates and in which Sieve's currentdate runs the auto-reply.
/// </summary>
public sealed class AbsenceNoticeStore(IDbContextFactory<MSSanteDbContext> contexts, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The host's local date.</summary>
    public DateOnly Today => DateOnly.FromDateTime(_time.GetLocalNow().DateTime);

    /// <summary>
    /// Records (or replaces) the absence of <paramref name="mailboxAddress"/>, and forgets the
    /// absences of every mailbox that ended before today.
    /// </summary>
    public async Task SetAsync(string mailboxAddress, DateOnly startDate, DateOnly? endDate, string? contactAddress, CancellationToken cancellationToken = default)
    {
        var mailbox = Normalize(mailboxAddress) ?? throw new ArgumentException("A mailbox address is required.", nameof(mailboxAddress));
        if (endDate is { } end && end < startDate)
        {
            throw new ArgumentOutOfRangeException(nameof(endDate), "The absence ends before it starts.");
        }

        var contact = Normalize(contactAddress);
        await using var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var today = Today;
        await context.Set<AbsenceNotice>().Where(n => n.EndDate != null && n.EndDate < today && n.MailboxAddress != mailbox)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        var notice = await context.Set<AbsenceNotice>().SingleOrDefaultAsync(n => n.MailboxAddress == mailbox, cancellationToken).ConfigureAwait(false);
        if (notice is null)
        {
            notice = new AbsenceNotice { MailboxAddress = mailbox };
            context.Add(notice);
        }

        notice.StartDate = startDate;
        notice.EndDate = endDate;
        notice.ContactAddress = contact;
        notice.UpdatedAtUtc = _time.GetUtcNow().UtcDateTime;
        try
        {
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException) when (context.Entry(notice).State == EntityState.Added)
        {
            // Two tabs of the same practitioner saved at once and the other inserted first:
            // write ours over it, the last save is the one the practitioner sees.
            await using var retry = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            await retry.Set<AbsenceNotice>().Where(n => n.MailboxAddress == mailbox).ExecuteUpdateAsync(s => s
                .SetProperty(n => n.StartDate, startDate)
                .SetProperty(n => n.EndDate, endDate)
                .SetProperty(n => n.ContactAddress, contact)
                .SetProperty(n => n.UpdatedAtUtc, notice.UpdatedAtUtc), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Forgets the absence of <paramref name="mailboxAddress"/>; true when there was one.</summary>
    public async Task<bool> RemoveAsync(string mailboxAddress, CancellationToken cancellationToken = default)
    {
        var mailbox = Normalize(mailboxAddress);
        if (mailbox is null)
        {
            return false;
        }

        await using var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.Set<AbsenceNotice>().Where(n => n.MailboxAddress == mailbox)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>
    /// The absences in progress today among <paramref name="mailboxAddresses"/>, keyed by
    /// lower-case address. Absences not started yet and those already over are left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, AbsenceNotice>> FindCurrentAsync(IEnumerable<string> mailboxAddresses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mailboxAddresses);
        var wanted = mailboxAddresses.Select(Normalize).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return new Dictionary<string, AbsenceNotice>(StringComparer.Ordinal);
        }

        var today = Today;
        await using var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var found = await context.Set<AbsenceNotice>().AsNoTracking()
            .Where(n => wanted.Contains(n.MailboxAddress) && n.StartDate <= today && (n.EndDate == null || n.EndDate >= today))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return found.ToDictionary(n => n.MailboxAddress, StringComparer.Ordinal);
    }

    /// <summary>The stored absence of one mailbox, current or not, or null.</summary>
    public async Task<AbsenceNotice?> FindAsync(string mailboxAddress, CancellationToken cancellationToken = default)
    {
        var mailbox = Normalize(mailboxAddress);
        if (mailbox is null)
        {
            return null;
        }

        await using var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.Set<AbsenceNotice>().AsNoTracking()
            .SingleOrDefaultAsync(n => n.MailboxAddress == mailbox, cancellationToken).ConfigureAwait(false);
    }

    private static string? Normalize(string? address) =>
        string.IsNullOrWhiteSpace(address) ? null : address.Trim().ToLowerInvariant();
}

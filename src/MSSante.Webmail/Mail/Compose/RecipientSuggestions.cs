using MSSante.Domain.NationalDirectory;
using MSSante.Mail;
using MSSante.Mail.Imap;
using MSSante.Mime;

namespace MSSante.Webmail.Mail.Compose;

/// <summary>One proposal of the recipient autocomplete.</summary>
/// <param name="Address">The mailbox address.</param>
/// <param name="DisplayName">The name to show and to write in the header, or null.</param>
/// <param name="Profession">Profession and specialty from the national directory, or null.</param>
/// <param name="MailboxKind">The directory's mailbox type in French (Personnelle, Organisationnelle...), or null.</param>
/// <param name="FromDirectory">True for a national directory entry, false for a recent correspondent.</param>
/// <param name="Absence">"Absent jusqu'au ..., contactez ..." when the directory shows an absence running, else null.</param>
public sealed record RecipientSuggestion(string Address, string? DisplayName, string? Profession, string? MailboxKind, bool FromDirectory, string? Absence = null)
{
    /// <summary>What goes into the To/Cc/Bcc field.</summary>
    public string ToFieldText() => new MailboxAddress(string.IsNullOrWhiteSpace(DisplayName) ? null : DisplayName, Address).ToString();
}

/// <summary>
/// Proposals for the To, Cc and Bcc fields: recent correspondents (the addresses the user wrote
/// to, read once per circuit from the Sent folders of their mailboxes) first, then the national
/// directory. Scoped: one cache per circuit, dropped with it.
/// </summary>
public sealed partial class RecipientSuggestions(
    MailConnector connector, MailSession session, IDirectorySearch directory, ILogger<RecipientSuggestions> logger,
    MSSante.Infrastructure.NationalDirectory.AbsenceNoticeStore? absences = null)
{
    // Enough history for the people one writes to every week, without fetching a whole folder.
    private const int SentMessagesRead = 300;
    private Task<IReadOnlyList<MailboxAddress>>? _recents;

    /// <summary>Up to <paramref name="limit"/> proposals for what the user is typing.</summary>
    public async Task<IReadOnlyList<RecipientSuggestion>> SuggestAsync(string term, int limit = 8, CancellationToken cancellationToken = default)
    {
        term = term.Trim();
        if (term.Length < 2)
        {
            return [];
        }
        var result = new List<RecipientSuggestion>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var needle = SearchTextOf(term);
        foreach (var recent in await RecentAsync(cancellationToken))
        {
            if (result.Count >= limit / 2 + 1)
            {
                break;
            }
            if ((SearchTextOf(recent.Address).Contains(needle, StringComparison.Ordinal) || SearchTextOf(recent.DisplayName ?? "").Contains(needle, StringComparison.Ordinal))
                && seen.Add(recent.Address))
            {
                result.Add(new RecipientSuggestion(recent.Address, recent.DisplayName, null, null, false));
            }
        }
        if (SearchText.Tokenize(term).Count > 0)
        {
            try
            {
                var page = await directory.SearchAsync(new DirectoryQuery(term, 0, limit), cancellationToken);
                foreach (var entry in page.Entries)
                {
                    if (result.Count >= limit)
                    {
                        break;
                    }
                    if (seen.Add(entry.Address))
                    {
                        result.Add(new RecipientSuggestion(entry.Address, entry.DisplayName, Profession(entry), Kind(entry.MailboxType), true));
                    }
                }
            }
            catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
            {
                // No directory imported yet, or the database is busy: recent correspondents still help.
                LogDirectoryUnavailable(logger, e.GetType().Name);
            }
        }
        return await WithAbsencesAsync(result, cancellationToken);
    }

    /// <summary>Marks the proposals whose mailbox the directory shows as absent (one query for all).</summary>
    private async Task<IReadOnlyList<RecipientSuggestion>> WithAbsencesAsync(List<RecipientSuggestion> result, CancellationToken cancellationToken)
    {
        if (absences is null || result.Count == 0)
        {
            return result;
        }
        try
        {
            var found = await absences.FindCurrentAsync(result.Select(r => r.Address), cancellationToken);
            return found.Count == 0 ? result : result.Select(r => found.TryGetValue(r.Address.ToLowerInvariant(), out var n) ? r with { Absence = n.Describe() } : r).ToList();
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            LogDirectoryUnavailable(logger, e.GetType().Name);
            return result;
        }
    }

    // The load is shared by every keystroke of the circuit, so no single keystroke may cancel it.
    private Task<IReadOnlyList<MailboxAddress>> RecentAsync(CancellationToken cancellationToken) =>
        (_recents ??= LoadRecentAsync()).WaitAsync(cancellationToken);

    private async Task<IReadOnlyList<MailboxAddress>> LoadRecentAsync()
    {
        var cancellationToken = CancellationToken.None;
        if (session.User is not { } user)
        {
            _recents = null;
            return [];
        }
        var found = new List<(DateTimeOffset When, MailboxAddress Address)>();
        try
        {
            await using var imap = await connector.OpenImapAsync(user, cancellationToken);
            foreach (var mailbox in session.Mailboxes)
            {
                if (session.FolderFor(mailbox, "sent") is not { } sent)
                {
                    continue;
                }
                await imap.SelectAsync(sent.ImapName, readOnly: true, cancellationToken: cancellationToken);
                var uids = await imap.SearchAsync(ImapSearchQuery.All, cancellationToken);
                if (uids.Count == 0)
                {
                    continue;
                }
                var latest = uids.OrderDescending().Take(SentMessagesRead).ToList();
                foreach (var message in await imap.FetchAsync(UidSet.Of([.. latest]), ImapFetchItems.Envelope | ImapFetchItems.InternalDate, cancellationToken: cancellationToken))
                {
                    if (message.Envelope is not { } envelope)
                    {
                        continue;
                    }
                    var when = message.InternalDate ?? DateTimeOffset.MinValue;
                    foreach (var a in envelope.To.Concat(envelope.Cc).Concat(envelope.Bcc))
                    {
                        if (a.Host is not null && a.Mailbox is not null)
                        {
                            found.Add((when, new MailboxAddress(a.Name, a.Address.ToLowerInvariant())));
                        }
                    }
                }
            }
            try
            {
                await imap.LogoutAsync(cancellationToken);
            }
            catch (MailProtocolException)
            {
                // closing anyway
            }
        }
        catch (Exception e) when (e is MailProtocolException or MailCommandException or IOException or System.Net.Sockets.SocketException)
        {
            LogSentUnavailable(logger, e.GetType().Name);
            _recents = null; // try again on the next keystroke
            return [];
        }
        return found.OrderByDescending(f => f.When).Select(f => f.Address).DistinctBy(a => a.Address).ToList();
    }

    private static string SearchTextOf(string text) => SearchText.Normalize(text);

    private static string? Profession(DirectoryEntry entry)
    {
        var parts = new[] { entry.ProfessionLabel, entry.SpecialtyLabel }.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return parts.Count == 0 ? null : string.Join(" – ", parts);
    }

    private static string? Kind(MailboxType type) => type switch
    {
        MailboxType.Per => "Personnelle",
        MailboxType.Org => "Organisationnelle",
        MailboxType.App => "Applicative",
        MailboxType.Cab => "Cabinet",
        _ => null,
    };

    [LoggerMessage(EventId = 6120, Level = LogLevel.Warning, Message = "Recipient autocomplete: the Sent folders could not be read ({Error})")]
    private static partial void LogSentUnavailable(ILogger logger, string error);

    [LoggerMessage(EventId = 6121, Level = LogLevel.Warning, Message = "Recipient autocomplete: the national directory could not be searched ({Error})")]
    private static partial void LogDirectoryUnavailable(ILogger logger, string error);
}

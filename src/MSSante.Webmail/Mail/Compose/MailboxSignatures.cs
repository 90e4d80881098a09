using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MSSante.Infrastructure.Persistence;
using MSSante.Infrastructure.Persistence.Preferences;

namespace MSSante.Webmail.Mail.Compose;

/// <summary>
/// A practitioner's signature per mailbox (their own and each delegated service mailbox), kept
/// as plain text in their preferences (<see cref="MailboxSignature"/>) and put into the message
/// body as one marked block, so that switching the sending mailbox swaps it.
/// </summary>
public static partial class MailboxSignatures
{
    /// <summary>Longest signature kept (the column's size).</summary>
    public const int MaxLength = 4000;

    /// <summary>The signatures of <paramref name="idNat"/>, by lower-case mailbox address.</summary>
    public static async Task<Dictionary<string, string>> LoadAsync(IDbContextFactory<MSSanteDbContext> factory, string idNat, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await db.MailboxSignatures.AsNoTracking().Where(s => s.IdNat == idNat).ToListAsync(cancellationToken);
        return rows.ToDictionary(s => s.MailboxAddress, s => s.Text, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Stores (or, when blank, removes) the signature of <paramref name="mailbox"/>.</summary>
    public static async Task SaveAsync(IDbContextFactory<MSSanteDbContext> factory, string idNat, string mailbox, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentException.ThrowIfNullOrEmpty(idNat);
        var address = mailbox.Trim().ToLowerInvariant();
        ArgumentException.ThrowIfNullOrEmpty(address, nameof(mailbox));
        text = text.ReplaceLineEndings("\n").Trim();
        if (text.Length > MaxLength)
        {
            throw new ArgumentException($"La signature dépasse {MaxLength} caractères.", nameof(text));
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var preference = await db.UserPreferences.FirstOrDefaultAsync(p => p.IdNat == idNat, cancellationToken);
        if (preference is null)
        {
            db.UserPreferences.Add(new UserPreference { IdNat = idNat, UpdatedAt = now });
        }
        else
        {
            preference.UpdatedAt = now;
        }
        var row = await db.MailboxSignatures.FirstOrDefaultAsync(s => s.IdNat == idNat && s.MailboxAddress == address, cancellationToken);
        if (text.Length == 0)
        {
            if (row is not null)
            {
                db.MailboxSignatures.Remove(row);
            }
        }
        else if (row is null)
        {
            db.MailboxSignatures.Add(new MailboxSignature { IdNat = idNat, MailboxAddress = address, Text = text });
        }
        else
        {
            row.Text = text;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// <paramref name="html"/> with its signature block replaced by <paramref name="signature"/>
    /// (removed when null or blank). Without a block yet, the signature goes after the first
    /// empty paragraph the form starts with (above a quoted reply), else at the end.
    /// </summary>
    public static string Apply(string html, string? signature)
    {
        var block = string.IsNullOrWhiteSpace(signature) ? "" : ToHtml(signature);
        var existing = Block().Match(html);
        if (existing.Success)
        {
            return html[..existing.Index] + block + html[(existing.Index + existing.Length)..];
        }
        if (block.Length == 0)
        {
            return html;
        }
        const string first = "<p><br></p>";
        return html.StartsWith(first, StringComparison.Ordinal)
            ? first + block + html[first.Length..]
            : html + block;
    }

    /// <summary>The block for a plain-text signature: the usual "-- " separator, text encoded, line breaks kept.</summary>
    public static string ToHtml(string signature) =>
        "<div class=\"mss-signature\">-- <br>" +
        string.Join("<br>", signature.ReplaceLineEndings("\n").Split('\n').Select(WebUtility.HtmlEncode)) +
        "</div>";

    // The block holds only text and <br> (ToHtml), so the first closing div ends it.
    [GeneratedRegex("<div class=\"mss-signature\">.*?</div>", RegexOptions.Singleline)]
    private static partial Regex Block();
}

using Microsoft.EntityFrameworkCore;
using MSSante.Infrastructure.Persistence;
using MSSante.Infrastructure.Persistence.Preferences;

namespace MSSante.Webmail.Components.Shared.SafeHtml;

/// <summary>
/// The per-practitioner list of senders whose remote content loads without asking
/// (<see cref="RemoteContentSender"/> rows under the practitioner's <see cref="UserPreference"/>).
/// A short-lived context per call, as components never hold one.
/// </summary>
public static class RemoteContentSenders
{
    /// <summary>True when <paramref name="idNat"/> chose to always load remote content from <paramref name="senderAddress"/>.</summary>
    public static async Task<bool> IsAllowedAsync(IDbContextFactory<MSSanteDbContext> factory, string idNat, string senderAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var sender = Normalize(senderAddress);
        if (sender.Length == 0 || string.IsNullOrEmpty(idNat))
        {
            return false;
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.RemoteContentSenders.AnyAsync(s => s.IdNat == idNat && s.SenderAddress == sender, cancellationToken);
    }

    /// <summary>Records that <paramref name="idNat"/> always loads remote content from <paramref name="senderAddress"/> (idempotent).</summary>
    public static async Task AllowAsync(IDbContextFactory<MSSanteDbContext> factory, string idNat, string senderAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentException.ThrowIfNullOrEmpty(idNat);
        var sender = Normalize(senderAddress);
        ArgumentException.ThrowIfNullOrEmpty(sender, nameof(senderAddress));

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        if (!await db.UserPreferences.AnyAsync(p => p.IdNat == idNat, cancellationToken))
        {
            db.UserPreferences.Add(new UserPreference { IdNat = idNat, UpdatedAt = now });
        }

        if (!await db.RemoteContentSenders.AnyAsync(s => s.IdNat == idNat && s.SenderAddress == sender, cancellationToken))
        {
            db.RemoteContentSenders.Add(new RemoteContentSender { IdNat = idNat, SenderAddress = sender, AllowedAt = now });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another circuit of the same practitioner saved the same row first: the wish holds.
            if (!await IsAllowedAsync(factory, idNat, sender, cancellationToken))
            {
                throw;
            }
        }
    }

    /// <summary>Forgets the choice (the preferences page offers it).</summary>
    public static async Task RevokeAsync(IDbContextFactory<MSSanteDbContext> factory, string idNat, string senderAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var sender = Normalize(senderAddress);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.RemoteContentSenders.Where(s => s.IdNat == idNat && s.SenderAddress == sender).ExecuteDeleteAsync(cancellationToken);
    }

    private static string Normalize(string? address) => (address ?? "").Trim().ToLowerInvariant();
}

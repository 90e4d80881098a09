using Microsoft.EntityFrameworkCore;
using MSSante.Infrastructure.Persistence;

namespace MSSante.Infrastructure.NationalDirectory;

/// <summary>Whether the national directory was imported, and when last.</summary>
/// <param name="HasEntries">False until a first import stored at least one mailbox.</param>
/// <param name="LastImportUtc">When the last import finished, UTC, or null.</param>
public sealed record DirectoryStatus(bool HasEntries, DateTime? LastImportUtc)
{
    /// <summary>Reads the status; lets the directory page tell "not imported" from "no match".</summary>
    public static async Task<DirectoryStatus> ReadAsync(IDbContextFactory<MSSanteDbContext> contexts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        await using var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var hasEntries = await context.Set<DirectoryEntryRow>().AnyAsync(cancellationToken).ConfigureAwait(false);
        var last = await context.Set<DirectoryImportRow>().OrderByDescending(i => i.Id)
            .Select(i => (DateTime?)i.ImportedAtUtc).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return new DirectoryStatus(hasEntries, last);
    }
}

using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace MSSante.Infrastructure.Persistence.DataProtection;

/// <summary>
/// Stores the Data Protection key ring in the webmail's database, so that every host behind the
/// reverse proxy reads the same keys (cookies and antiforgery tokens issued by one host are
/// readable by the others).
/// </summary>
/// <remarks>
/// <see cref="IXmlRepository"/> is synchronous by contract; Data Protection calls it rarely
/// (start-up, key rotation, cache refresh) and from its own code paths, never from a request.
/// </remarks>
public sealed class DatabaseXmlRepository(IDbContextFactory<MSSanteDbContext> contextFactory) : IXmlRepository
{
    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var context = contextFactory.CreateDbContext();
        return context.DataProtectionKeys
            .AsNoTracking()
            .OrderBy(k => k.Id)
            .Select(k => k.Xml)
            .AsEnumerable()
            .Select(xml => XElement.Parse(xml))
            .ToList();
    }

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var context = contextFactory.CreateDbContext();
        context.DataProtectionKeys.Add(new DataProtectionKey
        {
            FriendlyName = friendlyName,
            Xml = element.ToString(SaveOptions.DisableFormatting),
        });
        context.SaveChanges();
    }
}

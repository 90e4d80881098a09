using MSSante.Infrastructure.Persistence.CardLogin;
using MSSante.Infrastructure.Persistence.DataProtection;
using MSSante.Infrastructure.Persistence.Preferences;
using Microsoft.EntityFrameworkCore;

namespace MSSante.Infrastructure.Persistence;

/// <summary>
/// The webmail's database: Data Protection key ring, user preferences, and whatever other areas
/// add through their own <see cref="IEntityTypeConfiguration{TEntity}"/> classes in this assembly
/// (picked up by <see cref="ModelBuilder.ApplyConfigurationsFromAssembly"/>).
/// </summary>
/// <remarks>
/// Each provider has its own migrations, so each has a derived context that the migrations are
/// bound to (<see cref="SqliteMSSanteDbContext"/>, <see cref="PostgreSqlMSSanteDbContext"/>).
/// Application code only ever sees this base type, through <c>IDbContextFactory&lt;MSSanteDbContext&gt;</c>.
/// </remarks>
public abstract class MSSanteDbContext : DbContext
{
    protected MSSanteDbContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>The ASP.NET Core Data Protection key ring, shared by every web host.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Per-practitioner preferences, keyed by national identifier (idNat).</summary>
    public DbSet<UserPreference> UserPreferences => Set<UserPreference>();

    /// <summary>Signatures, one per (practitioner, mailbox).</summary>
    public DbSet<MailboxSignature> MailboxSignatures => Set<MailboxSignature>();

    /// <summary>Senders whose remote content (images) a practitioner chose to load.</summary>
    public DbSet<RemoteContentSender> RemoteContentSenders => Set<RemoteContentSender>();

    /// <summary>Card login challenges awaiting their single use, shared by every web host.</summary>
    public DbSet<CardLoginChallenge> CardLoginChallenges => Set<CardLoginChallenge>();

    /// <summary>Card sessions ended early (card removed), refused by every web host.</summary>
    public DbSet<CardLoginEndedSession> CardLoginEndedSessions => Set<CardLoginEndedSession>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MSSanteDbContext).Assembly);
    }
}

/// <summary>The context bound to the SQLite migrations (embedded, single-host default).</summary>
public sealed class SqliteMSSanteDbContext(DbContextOptions<SqliteMSSanteDbContext> options)
    : MSSanteDbContext(options);

/// <summary>The context bound to the PostgreSQL migrations (several hosts).</summary>
public sealed class PostgreSqlMSSanteDbContext(DbContextOptions<PostgreSqlMSSanteDbContext> options)
    : MSSanteDbContext(options);

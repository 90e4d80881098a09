using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MSSante.Infrastructure.Persistence;
using MSSante.Infrastructure.Persistence.Preferences;

namespace MSSante.Infrastructure.Tests.Persistence;

public sealed class MigrationTests
{
    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrations_create_the_whole_model_from_an_empty_database(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = database.BuildHost();

        await host.MigrateWebmailDatabaseAsync();

        await using var context = await host.GetRequiredService<IDbContextFactory<MSSanteDbContext>>().CreateDbContextAsync();
        Assert.NotEmpty(context.Database.GetMigrations());
        Assert.Equal(context.Database.GetMigrations(), await context.Database.GetAppliedMigrationsAsync());
        // An entity or mapping changed without `deploy/ef-migrations.sh add <Name>` shows here.
        Assert.False(context.Database.HasPendingModelChanges(),
            $"The {provider} model differs from its last migration: run deploy/ef-migrations.sh add <Name>.");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrating_twice_changes_nothing(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var first = database.BuildHost())
        {
            await first.MigrateWebmailDatabaseAsync();
        }
        await using var second = database.BuildHost();

        await second.MigrateWebmailDatabaseAsync();

        await using var context = await second.GetRequiredService<IDbContextFactory<MSSanteDbContext>>().CreateDbContextAsync();
        Assert.Empty(await context.Database.GetPendingMigrationsAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Preferences_round_trip_with_signatures_and_allowed_senders(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = database.BuildHost();
        await host.MigrateWebmailDatabaseAsync();
        var factory = host.GetRequiredService<IDbContextFactory<MSSanteDbContext>>();
        var updated = new DateTimeOffset(2026, 3, 14, 9, 30, 0, TimeSpan.Zero);

        await using (var context = await factory.CreateDbContextAsync())
        {
            var preference = new UserPreference { IdNat = "899700100023", ReadReceiptPolicy = ReadReceiptPolicy.Never, UpdatedAt = updated };
            preference.Signatures.Add(new MailboxSignature
            {
                MailboxAddress = "paul.durand@ch-demo.mssante.fr",
                Text = "Dr Paul DURAND\nPneumologue — CH Démo\nTél. 01 23 45 67 89",
            });
            preference.Signatures.Add(new MailboxSignature
            {
                MailboxAddress = "pneumologie@ch-demo.mssante.fr",
                Text = "Service de pneumologie — secrétariat",
            });
            preference.RemoteContentSenders.Add(new RemoteContentSender { SenderAddress = "lettre@ars-demo.mssante.fr", AllowedAt = updated });
            context.UserPreferences.Add(preference);
            await context.SaveChangesAsync();
        }

        await using (var context = await factory.CreateDbContextAsync())
        {
            var read = await context.UserPreferences
                .Include(p => p.Signatures)
                .Include(p => p.RemoteContentSenders)
                .SingleAsync(p => p.IdNat == "899700100023");
            Assert.Equal(ReadReceiptPolicy.Never, read.ReadReceiptPolicy);
            Assert.Equal(updated, read.UpdatedAt);
            Assert.Equal(
                ["paul.durand@ch-demo.mssante.fr", "pneumologie@ch-demo.mssante.fr"],
                read.Signatures.Select(s => s.MailboxAddress).Order(StringComparer.Ordinal));
            Assert.Equal("Dr Paul DURAND\nPneumologue — CH Démo\nTél. 01 23 45 67 89",
                read.Signatures.Single(s => s.MailboxAddress.StartsWith("paul", StringComparison.Ordinal)).Text);
            Assert.Equal("lettre@ars-demo.mssante.fr", Assert.Single(read.RemoteContentSenders).SenderAddress);

            // Deleting the preferences takes the signatures and allowed senders with them.
            context.UserPreferences.Remove(read);
            await context.SaveChangesAsync();
        }

        await using (var context = await factory.CreateDbContextAsync())
        {
            Assert.Equal(0, await context.MailboxSignatures.CountAsync());
            Assert.Equal(0, await context.RemoteContentSenders.CountAsync());
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_second_signature_for_the_same_mailbox_is_refused(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = database.BuildHost();
        await host.MigrateWebmailDatabaseAsync();
        var factory = host.GetRequiredService<IDbContextFactory<MSSanteDbContext>>();
        await using (var context = await factory.CreateDbContextAsync())
        {
            var preference = new UserPreference { IdNat = "899700100015", UpdatedAt = DateTimeOffset.UtcNow };
            preference.Signatures.Add(new MailboxSignature { MailboxAddress = "jeanne.martin@medecin.mssante.fr", Text = "A" });
            context.UserPreferences.Add(preference);
            await context.SaveChangesAsync();
        }

        await using var other = await factory.CreateDbContextAsync();
        other.MailboxSignatures.Add(new MailboxSignature { IdNat = "899700100015", MailboxAddress = "jeanne.martin@medecin.mssante.fr", Text = "B" });
        await Assert.ThrowsAsync<DbUpdateException>(() => other.SaveChangesAsync());
    }
}

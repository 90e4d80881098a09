using Microsoft.EntityFrameworkCore;
using MSSante.Infrastructure.NationalDirectory;
using MSSante.Infrastructure.Persistence;
using MSSante.Infrastructure.Tests.TrustSpace;

namespace MSSante.Infrastructure.Tests.NationalDirectory;

/// <summary>The absences the directory shows, stored through the project's migrations on both providers.</summary>
public sealed class AbsenceNoticeStoreTests
{
    private const string Marc = "marc.petit@infirmier.mssante.fr";
    private const string Claire = "claire.leroy@pharmacien.mssante.fr";
    private const string Jeanne = "jeanne.martin@medecin.mssante.fr";

    private static readonly DateOnly Today = new(2026, 11, 22);

    private static AbsenceNoticeStore Store(TrustSpaceDatabase db, DateOnly today) =>
        new(db.Get<IDbContextFactory<MSSanteDbContext>>(), new FixedLocalDate(today));

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task A_saved_absence_is_found_for_its_mailbox_whatever_the_case_and_reads_as_the_directory_line(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        var store = Store(db, Today);

        await store.SetAsync("Marc.Petit@Infirmier.MSSante.fr", Today, Today.AddDays(3), " Claire.Leroy@pharmacien.mssante.fr ");

        var found = await store.FindCurrentAsync([Jeanne, Marc.ToUpperInvariant(), Claire]);
        var notice = Assert.Single(found).Value;
        Assert.Equal(Marc, notice.MailboxAddress);
        Assert.Equal(Claire, notice.ContactAddress);
        Assert.Equal("Absent jusqu'au 25/11/2026, contactez claire.leroy@pharmacien.mssante.fr", notice.Describe());
        Assert.True(found.ContainsKey(Marc));
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task Only_absences_running_today_are_shown_first_and_last_day_included(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        var writer = Store(db, Today);
        await writer.SetAsync(Marc, Today.AddDays(2), Today.AddDays(5), Claire);

        async Task<bool> ShownOn(DateOnly day) => (await Store(db, day).FindCurrentAsync([Marc])).ContainsKey(Marc);

        Assert.False(await ShownOn(Today.AddDays(1)));  // not started yet
        Assert.True(await ShownOn(Today.AddDays(2)));   // first day
        Assert.True(await ShownOn(Today.AddDays(5)));   // last day
        Assert.False(await ShownOn(Today.AddDays(6)));  // over: ignored
        Assert.NotNull(await writer.FindAsync(Marc));    // still stored, just not shown
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task Saving_again_replaces_the_notice_and_ending_the_absence_removes_it(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        var store = Store(db, Today);
        await store.SetAsync(Marc, Today, Today.AddDays(3), Claire);
        await store.SetAsync(Marc, Today, Today.AddDays(10), null);

        var notice = Assert.Single(await store.FindCurrentAsync([Marc])).Value;
        Assert.Equal(Today.AddDays(10), notice.EndDate);
        Assert.Null(notice.ContactAddress);
        Assert.Equal("Absent jusqu'au 02/12/2026", notice.Describe());
        await using (var context = await db.Get<IDbContextFactory<MSSanteDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal(1, await context.Set<AbsenceNotice>().CountAsync());
        }

        Assert.True(await store.RemoveAsync(Marc.ToUpperInvariant()));
        Assert.Empty(await store.FindCurrentAsync([Marc]));
        Assert.Null(await store.FindAsync(Marc));
        Assert.False(await store.RemoveAsync(Marc));
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task An_absence_without_return_date_stays_shown_and_past_absences_are_purged_on_the_next_save(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        await Store(db, Today.AddDays(-30)).SetAsync(Jeanne, Today.AddDays(-30), Today.AddDays(-20), Claire);
        await Store(db, Today.AddDays(-30)).SetAsync(Claire, Today.AddDays(-30), null, Jeanne);

        var store = Store(db, Today);
        await store.SetAsync(Marc, Today, Today, null);

        Assert.Null(await store.FindAsync(Jeanne)); // ended 20 days ago: gone
        var current = await store.FindCurrentAsync([Jeanne, Claire, Marc]);
        Assert.Equal([Claire, Marc], current.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Absent, contactez jeanne.martin@medecin.mssante.fr", current[Claire].Describe());
        Assert.Equal("Absent jusqu'au 22/11/2026", current[Marc].Describe());
    }

    [Fact]
    public async Task A_notice_ending_before_it_starts_or_without_mailbox_is_refused()
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var store = Store(db, Today);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SetAsync(Marc, Today, Today.AddDays(-1), null));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SetAsync(" ", Today, null, null));
        Assert.Empty(await store.FindCurrentAsync([Marc, "", " "]));
    }

    /// <summary>A clock whose local date is fixed (noon UTC, local time zone UTC).</summary>
    private sealed class FixedLocalDate(DateOnly day) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}

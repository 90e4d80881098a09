namespace MSSante.IntegrationTests.Stack;

/// <summary>The demo mail the stack seeds is really in Dovecot and has the shapes the issue lists.</summary>
[Collection(StackCollection.Name)]
public sealed class DemoDataTests
{
    private readonly StackFacts _stack = StackFacts.Load();

    [Fact]
    public async Task The_performance_mailbox_holds_at_least_10000_messages()
    {
        await using var imap = await RawImap.ConnectAsync(_stack);
        await imap.LoginAsync(_stack, StackFacts.Charge);

        var status = await imap.CommandAsync("STATUS INBOX (MESSAGES)");

        var line = status.Untagged.Single(l => l.StartsWith("* STATUS", StringComparison.Ordinal));
        var count = int.Parse(line[(line.LastIndexOf("MESSAGES ", StringComparison.Ordinal) + 9)..].TrimEnd(')'), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(count >= 10_000, line);
    }

    [Theory]
    [InlineData("HEADER X-MSS-CODECDA 34133-9")]
    [InlineData("HEADER Disposition-Notification-To \"\"")]
    [InlineData("HEADER Content-Type multipart/alternative")]
    [InlineData("LARGER 8000000")]
    [InlineData("HEADER In-Reply-To demo-thread-011")]
    [InlineData("BODY ****LAB****")]
    [InlineData("CHARSET UTF-8 SUBJECT \"échographie\"")]
    [InlineData("CHARSET UTF-8 SUBJECT \"à domicile - été\"")]
    public async Task Jeanne_INBOX_holds_the_demo_shapes(string criteria)
    {
        await using var imap = await RawImap.ConnectAsync(_stack);
        await imap.LoginAsync(_stack, StackFacts.Jeanne);
        Assert.True((await imap.CommandAsync("EXAMINE INBOX")).Ok);

        var found = await imap.SearchAsync(criteria);

        Assert.NotEmpty(found);
    }

    [Fact]
    public async Task The_windows_1252_subject_is_decoded_by_the_server()
    {
        await using var imap = await RawImap.ConnectAsync(_stack);
        await imap.LoginAsync(_stack, "marc.petit@infirmier.mssante.fr");
        Assert.True((await imap.CommandAsync("EXAMINE INBOX")).Ok);

        Assert.NotEmpty(await imap.SearchAsync("CHARSET UTF-8 SUBJECT \"Cœur et tension : qu’en\""));
    }

    [Fact]
    public async Task The_reply_thread_is_threaded_by_references()
    {
        await using var imap = await RawImap.ConnectAsync(_stack);
        await imap.LoginAsync(_stack, StackFacts.Claire);
        Assert.True((await imap.CommandAsync("EXAMINE INBOX")).Ok);

        var ids = await imap.SearchAsync("HEADER References demo-thread-010");

        Assert.Single(ids);
    }

    [Fact]
    public async Task The_service_mailbox_received_lab_results_and_referrals()
    {
        await using var imap = await RawImap.ConnectAsync(_stack);
        await imap.LoginAsync(_stack, StackFacts.Sophie);
        Assert.True((await imap.CommandAsync($"EXAMINE \"shared/{StackFacts.Pneumologie}/INBOX\"")).Ok);

        Assert.NotEmpty(await imap.SearchAsync("FROM labo-bio@ch-demo.mssante.fr"));
        Assert.NotEmpty(await imap.SearchAsync("FROM jeanne.martin@medecin.mssante.fr"));
    }
}

namespace MSSante.IntegrationTests.Stack;

/// <summary>IMAP against the real Dovecot: TLS only, token logins, special-use folders, and
/// the service mailbox shared with its delegate through ACLs (RFC 4314) and namespaces (RFC 2342).</summary>
[Collection(StackCollection.Name)]
public sealed class ImapTests
{
    private const string SharedInbox = "shared/" + StackFacts.Pneumologie + "/INBOX";
    private readonly StackFacts _stack = StackFacts.Load();

    [Fact]
    public async Task STARTTLS_then_token_login_works_with_TLS_1_2_or_later()
    {
        await using var imap = await RawImap.ConnectAsync(_stack, implicitTls: false);

        await imap.LoginAsync(_stack, StackFacts.Jeanne);
        var select = await imap.CommandAsync("SELECT INBOX");

        Assert.True(select.Ok, select.ToString());
    }

    [Fact]
    public async Task Capabilities_include_what_the_webmail_relies_on()
    {
        await using var imap = await RawImap.ConnectAsync(_stack);
        await imap.LoginAsync(_stack, StackFacts.Jeanne);

        var caps = string.Join(" ", (await imap.CommandAsync("CAPABILITY")).Untagged);

        foreach (var cap in new[] { "IDLE", "UIDPLUS", "MOVE", "SPECIAL-USE", "CONDSTORE", "QRESYNC", "ACL", "NAMESPACE", "ESEARCH", "SORT", "THREAD=REFERENCES", "QUOTA" })
        {
            Assert.Contains(" " + cap, caps, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Password_login_does_not_exist()
    {
        await using var imap = await RawImap.ConnectAsync(_stack);

        var login = await imap.CommandAsync($"LOGIN {StackFacts.Jeanne} motdepasse");

        Assert.False(login.Ok, login.ToString());
    }

    [Fact]
    public async Task Special_use_folders_exist_for_every_mailbox()
    {
        await using var imap = await RawImap.ConnectAsync(_stack);
        await imap.LoginAsync(_stack, StackFacts.Claire);

        var list = await imap.CommandAsync("LIST \"\" \"*\" RETURN (SPECIAL-USE)");

        Assert.True(list.Ok, list.ToString());
        foreach (var (use, name) in new[] { ("\\Drafts", "Drafts"), ("\\Sent", "Sent"), ("\\Trash", "Trash"), ("\\Junk", "Junk"), ("\\Archive", "Archive") })
        {
            Assert.Contains(list.Untagged, l => l.Contains(use, StringComparison.Ordinal) && l.EndsWith(" " + name, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_secretary_sees_the_service_mailbox_under_shared_and_can_open_it()
    {
        await using var imap = await RawImap.ConnectAsync(_stack);
        await imap.LoginAsync(_stack, StackFacts.Sophie);

        var list = await imap.CommandAsync("LIST \"\" \"shared/*\"");
        var select = await imap.CommandAsync($"SELECT \"{SharedInbox}\"");
        var rights = await imap.CommandAsync($"MYRIGHTS \"{SharedInbox}\"");

        Assert.Contains(list.Untagged, l => l.EndsWith(" shared/" + StackFacts.Pneumologie, StringComparison.Ordinal));
        Assert.Contains(list.Untagged, l => l.EndsWith(" " + SharedInbox, StringComparison.Ordinal));
        Assert.True(select.Ok, select.ToString());
        Assert.Contains(select.Untagged, l => l.EndsWith(" EXISTS", StringComparison.Ordinal) && !l.StartsWith("* 0 ", StringComparison.Ordinal));
        var myRights = rights.Untagged.Single(l => l.StartsWith("* MYRIGHTS", StringComparison.Ordinal));
        Assert.Contains("r", myRights.Split(' ')[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("a", myRights.Split(' ')[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_responsible_practitioner_administers_the_service_mailbox()
    {
        await using var imap = await RawImap.ConnectAsync(_stack);
        await imap.LoginAsync(_stack, StackFacts.Paul);

        var rights = await imap.CommandAsync($"MYRIGHTS \"{SharedInbox}\"");

        Assert.True(rights.Ok, rights.ToString());
        Assert.Contains("a", rights.Untagged.Single(l => l.StartsWith("* MYRIGHTS", StringComparison.Ordinal)).Split(' ')[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_without_delegation_does_not_see_the_service_mailbox()
    {
        await using var imap = await RawImap.ConnectAsync(_stack);
        await imap.LoginAsync(_stack, StackFacts.Claire);

        var list = await imap.CommandAsync("LIST \"\" \"shared/*\"");
        var select = await imap.CommandAsync($"SELECT \"{SharedInbox}\"");

        Assert.DoesNotContain(list.Untagged, l => l.Contains(StackFacts.Pneumologie, StringComparison.Ordinal));
        Assert.False(select.Ok, select.ToString());
    }
}

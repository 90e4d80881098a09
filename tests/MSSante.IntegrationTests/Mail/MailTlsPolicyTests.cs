using MSSante.Mail;
using MSSante.Mail.Imap;
using MSSante.Mail.Smtp;

namespace MSSante.IntegrationTests.Mail;

/// <summary>The restricted cipher-suite list (the default) still reaches the stack's Dovecot and Postfix.</summary>
public sealed class MailTlsPolicyTests
{
    private const string User = "claire.leroy@pharmacien.mssante.fr";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dovecot_is_reached_with_the_recommended_suites(bool implicitTls)
    {
        var stack = MailStack.Get();
        Assert.Same(MailCipherSuites.Recommended, stack.Imap(implicitTls).CipherSuites);
        await using var client = await stack.ImapAsync(User, implicitTls);
        Assert.Equal(ImapState.Authenticated, client.State);
        Assert.Contains(client.TlsCipherSuite!.Value, MailCipherSuites.Recommended);
        await client.LogoutAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Postfix_submission_is_reached_with_the_recommended_suites(bool implicitTls)
    {
        var stack = MailStack.Get();
        await using SmtpClient client = await stack.SubmissionAsync(User, implicitTls);
        Assert.True(client.IsEncrypted);
        Assert.Contains(client.TlsCipherSuite!.Value, MailCipherSuites.Recommended);
        await client.QuitAsync();
    }
}

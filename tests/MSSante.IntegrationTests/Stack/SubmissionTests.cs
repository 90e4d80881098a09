namespace MSSante.IntegrationTests.Stack;

/// <summary>
/// Submission (587 STARTTLS / 465 implicit TLS, here 10587 / 10465) against the real Postfix
/// and Dovecot: only the webmail's valid tokens get in, senders are checked against the login,
/// recipients against the MSSante trust space, and accepted mail lands in the INBOX.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SubmissionTests
{
    private readonly StackFacts _stack = StackFacts.Load();

    [Fact]
    public async Task Mail_submitted_with_the_webmail_token_reaches_the_recipient_INBOX()
    {
        var id = NewMessageId();
        await using (var smtp = await RawSmtp.ConnectAsync(_stack, "submission"))
        {
            Assert.True(smtp.IsTls);
            var auth = await smtp.AuthOAuthBearerAsync(StackFacts.Jeanne, _stack.Token(StackFacts.Jeanne));
            Assert.True(auth.Code == 235, auth.ToString());
            var sent = await smtp.SendAsync(StackFacts.Jeanne, StackFacts.Claire, id, "Test de remise");
            Assert.True(sent.Code == 250, sent.ToString());
        }

        Assert.True(await DeliveredAsync(StackFacts.Claire, "INBOX", id), $"message {id} never reached Claire's INBOX");
    }

    [Fact]
    public async Task Implicit_TLS_submission_with_XOAUTH2_delivers_too()
    {
        var id = NewMessageId();
        await using (var smtp = await RawSmtp.ConnectAsync(_stack, "submissions"))
        {
            var auth = await smtp.AuthXOAuth2Async(StackFacts.Paul, _stack.Token(StackFacts.Paul));
            Assert.True(auth.Code == 235, auth.ToString());
            var sent = await smtp.SendAsync(StackFacts.Paul, StackFacts.Jeanne, id, "Test XOAUTH2");
            Assert.True(sent.Code == 250, sent.ToString());
        }

        Assert.True(await DeliveredAsync(StackFacts.Jeanne, "INBOX", id), $"message {id} never reached Jeanne's INBOX");
    }

    [Fact]
    public async Task A_token_signed_by_another_key_is_refused()
    {
        using var foreign = _stack.ForeignKeyIssuer();
        var token = foreign.Issue(_stack.IdNatOf(StackFacts.Jeanne), StackFacts.Jeanne).Value;

        await AssertAuthRefusedAsync(StackFacts.Jeanne, token);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        using var past = _stack.WebmailIssuer(new FixedClock(DateTimeOffset.UtcNow.AddHours(-1)));
        var token = past.Issue(_stack.IdNatOf(StackFacts.Jeanne), StackFacts.Jeanne).Value;

        await AssertAuthRefusedAsync(StackFacts.Jeanne, token);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        using var other = _stack.WrongAudienceIssuer();
        var token = other.Issue(_stack.IdNatOf(StackFacts.Jeanne), StackFacts.Jeanne).Value;

        await AssertAuthRefusedAsync(StackFacts.Jeanne, token);
    }

    [Fact]
    public async Task A_token_for_another_user_cannot_log_in_as_this_one()
    {
        // Valid signature, but the email claim names Paul while the SASL identity is Jeanne.
        await AssertAuthRefusedAsync(StackFacts.Jeanne, _stack.Token(StackFacts.Paul));
    }

    [Fact]
    public async Task A_sender_address_the_login_does_not_own_is_refused()
    {
        await using var smtp = await RawSmtp.ConnectAsync(_stack, "submission");
        Assert.Equal(235, (await smtp.AuthOAuthBearerAsync(StackFacts.Jeanne, _stack.Token(StackFacts.Jeanne))).Code);

        var reply = await smtp.SendAsync(StackFacts.Paul, StackFacts.Claire, NewMessageId(), "Usurpation");

        Assert.True(reply.Code == 553, reply.ToString());
        Assert.Contains("5.7.1", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delegate_may_send_as_the_service_mailbox()
    {
        var id = NewMessageId();
        await using (var smtp = await RawSmtp.ConnectAsync(_stack, "submission"))
        {
            Assert.Equal(235, (await smtp.AuthOAuthBearerAsync(StackFacts.Sophie, _stack.Token(StackFacts.Sophie))).Code);
            var sent = await smtp.SendAsync(StackFacts.Pneumologie, StackFacts.Jeanne, id, "Envoi pour le service");
            Assert.True(sent.Code == 250, sent.ToString());
        }

        Assert.True(await DeliveredAsync(StackFacts.Jeanne, "INBOX", id), $"message {id} never reached Jeanne's INBOX");
    }

    [Fact]
    public async Task Someone_who_is_not_a_delegate_may_not_send_as_the_service_mailbox()
    {
        await using var smtp = await RawSmtp.ConnectAsync(_stack, "submission");
        Assert.Equal(235, (await smtp.AuthOAuthBearerAsync(StackFacts.Claire, _stack.Token(StackFacts.Claire))).Code);

        var reply = await smtp.SendAsync(StackFacts.Pneumologie, StackFacts.Jeanne, NewMessageId(), "Pas délégataire");

        Assert.True(reply.Code == 553, reply.ToString());
    }

    [Fact]
    public async Task A_recipient_outside_the_trust_space_is_refused_with_the_5_7_1_text()
    {
        await using var smtp = await RawSmtp.ConnectAsync(_stack, "submission");
        Assert.Equal(235, (await smtp.AuthOAuthBearerAsync(StackFacts.Jeanne, _stack.Token(StackFacts.Jeanne))).Code);

        var reply = await smtp.SendAsync(StackFacts.Jeanne, "someone@gmail.com", NewMessageId(), "Hors espace de confiance");

        Assert.True(reply.Code == 554, reply.ToString());
        Assert.Contains("5.7.1", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Destinataire hors de l'espace de confiance MSSante", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_domain_of_the_published_whitelist_is_inside_the_trust_space()
    {
        var whitelist = _stack.Info.Json.GetProperty("trustSpace").GetProperty("whitelistFile").GetString();
        Assert.False(string.IsNullOrEmpty(whitelist), "the stack was started without ../shared/data/listeblanchemssante-*.xml");
        // adsea29.mssante.fr is listed in the published file and is not one of the demo domains.
        Assert.Contains("<Nom>adsea29.mssante.fr</Nom>", await File.ReadAllTextAsync(whitelist!), StringComparison.Ordinal);

        await using var smtp = await RawSmtp.ConnectAsync(_stack, "submission");
        Assert.Equal(235, (await smtp.AuthOAuthBearerAsync(StackFacts.Jeanne, _stack.Token(StackFacts.Jeanne))).Code);
        Assert.Equal(250, (await smtp.CommandAsync($"MAIL FROM:<{StackFacts.Jeanne}>")).Code);

        var listed = await smtp.CommandAsync("RCPT TO:<secretariat@adsea29.mssante.fr>");
        var subdomain = await smtp.CommandAsync("RCPT TO:<x@sub.adsea29.mssante.fr>");

        // Inside the trust space: no 5.7.1 refusal; the demo operator then declines to deliver
        // off the machine (5.4.4), which is the only thing that stops it.
        Assert.DoesNotContain("espace de confiance", listed.Text, StringComparison.Ordinal);
        Assert.True(listed.Code == 250 || listed.Text.Contains("no delivery outside this machine", StringComparison.Ordinal), listed.ToString());
        Assert.True(subdomain.Code == 554 && subdomain.Text.Contains("espace de confiance", StringComparison.Ordinal),
            "only exact whitelisted domains are trusted: " + subdomain);
        await smtp.CommandAsync("RSET");
    }

    [Fact]
    public async Task An_unknown_mailbox_of_a_demo_domain_is_refused_at_RCPT()
    {
        await using var smtp = await RawSmtp.ConnectAsync(_stack, "submission");
        Assert.Equal(235, (await smtp.AuthOAuthBearerAsync(StackFacts.Jeanne, _stack.Token(StackFacts.Jeanne))).Code);
        Assert.Equal(250, (await smtp.CommandAsync($"MAIL FROM:<{StackFacts.Jeanne}>")).Code);

        var reply = await smtp.CommandAsync("RCPT TO:<personne.inconnue@medecin.mssante.fr>");

        Assert.True(reply.Code == 550, reply.ToString());
    }

    [Fact]
    public async Task Submission_offers_no_authentication_before_STARTTLS()
    {
        await using var smtp = await RawSmtp.ConnectAsync(_stack, "submission", startTls: false);

        Assert.False(smtp.IsTls);
        Assert.Contains(smtp.Extensions, e => e.StartsWith("STARTTLS", StringComparison.Ordinal));
        Assert.DoesNotContain(smtp.Extensions, e => e.StartsWith("AUTH", StringComparison.Ordinal));
        var reply = await smtp.CommandAsync($"MAIL FROM:<{StackFacts.Jeanne}>");
        Assert.True(reply.Code == 530, reply.ToString());
    }

    [Fact]
    public async Task Submission_without_authentication_is_refused()
    {
        await using var smtp = await RawSmtp.ConnectAsync(_stack, "submission");
        Assert.Contains(smtp.Extensions, e => e.StartsWith("AUTH", StringComparison.Ordinal) && e.Contains("OAUTHBEARER", StringComparison.Ordinal));

        var reply = await smtp.SendAsync(StackFacts.Jeanne, StackFacts.Claire, NewMessageId(), "Sans authentification");

        Assert.True(reply.Code >= 500, reply.ToString());
    }

    [Fact]
    public async Task The_inbound_port_never_relays_to_other_domains()
    {
        await using var smtp = await RawSmtp.ConnectAsync(_stack, "smtp", startTls: false);

        var reply = await smtp.SendAsync("quelquun@adsea29.mssante.fr", "someone@gmail.com", NewMessageId(), "Relais");

        Assert.True(reply.Code == 554, reply.ToString());
    }

    private async Task AssertAuthRefusedAsync(string user, string token)
    {
        await using var smtp = await RawSmtp.ConnectAsync(_stack, "submission");
        var reply = await smtp.AuthOAuthBearerAsync(user, token);
        Assert.True(reply.Code == 535, "expected 535, got " + reply);

        await using var imap = await RawImap.ConnectAsync(_stack);
        var result = await imap.AuthenticateAsync(user, token);
        Assert.False(result.Ok, "IMAP accepted the token: " + result);
        Assert.Contains("AUTHENTICATIONFAILED", result.Completion, StringComparison.Ordinal);
    }

    private async Task<bool> DeliveredAsync(string mailbox, string folder, string messageId)
    {
        await using var imap = await RawImap.ConnectAsync(_stack);
        await imap.LoginAsync(_stack, mailbox);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var select = await imap.CommandAsync($"EXAMINE \"{folder}\"");
            Assert.True(select.Ok, select.ToString());
            if ((await imap.SearchAsync($"HEADER Message-ID \"{messageId}\"")).Count == 1)
            {
                return true;
            }
            await Task.Delay(250);
        }
        return false;
    }

    private static string NewMessageId() => $"stack-test-{Guid.NewGuid():N}@tests.mssante.local";
}

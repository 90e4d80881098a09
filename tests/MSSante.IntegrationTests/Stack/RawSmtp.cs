using System.Text;

namespace MSSante.IntegrationTests.Stack;

/// <summary>An SMTP reply (RFC 5321 §4.2): code and every text line.</summary>
internal sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    public string Text => string.Join(" | ", Lines);

    public override string ToString() => $"{Code} {Text}";
}

/// <summary>Just enough SMTP to submit one message and read the server's verdicts.</summary>
internal sealed class RawSmtp : IAsyncDisposable
{
    private readonly RawConnection _connection;
    private readonly StackFacts _stack;

    private RawSmtp(RawConnection connection, StackFacts stack)
    {
        _connection = connection;
        _stack = stack;
    }

    public bool IsTls => _connection.IsTls;

    /// <summary>Connects and reads the greeting; on the STARTTLS port, upgrades (RFC 3207) unless told not to.</summary>
    public static async Task<RawSmtp> ConnectAsync(StackFacts stack, string portName, bool startTls = true)
    {
        var implicitTls = portName == "submissions";
        var connection = await RawConnection.OpenAsync(stack, stack.Info.Port(portName), implicitTls);
        var smtp = new RawSmtp(connection, stack);
        var greeting = await smtp.ReadReplyAsync();
        Assert.True(greeting.Code == 220, $"greeting: {greeting}");
        await smtp.EhloAsync();
        if (!implicitTls && startTls)
        {
            var reply = await smtp.CommandAsync("STARTTLS");
            Assert.True(reply.Code == 220, $"STARTTLS: {reply}");
            await connection.StartTlsAsync(stack.Host);
            await smtp.EhloAsync();
        }
        return smtp;
    }

    public IReadOnlyList<string> Extensions { get; private set; } = [];

    private async Task EhloAsync()
    {
        var reply = await CommandAsync("EHLO tests.mssante.local");
        Assert.True(reply.Code == 250, $"EHLO: {reply}");
        Extensions = reply.Lines.Skip(1).ToList();
    }

    public async Task<SmtpReply> CommandAsync(string line)
    {
        await _connection.WriteLineAsync(line);
        return await ReadReplyAsync();
    }

    public async Task<SmtpReply> ReadReplyAsync()
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await _connection.ReadLineAsync() ?? throw new InvalidOperationException("SMTP server closed the connection");
            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length < 4 || line[3] != '-')
            {
                return new SmtpReply(int.Parse(line[..3], System.Globalization.CultureInfo.InvariantCulture), lines);
            }
        }
    }

    /// <summary>AUTH OAUTHBEARER (RFC 7628 §3.1); on failure answers the error challenge with ^A as §3.2.3 asks.</summary>
    public async Task<SmtpReply> AuthOAuthBearerAsync(string user, string token)
    {
        var port = _stack.Info.Port("submission");
        var initial = $"n,a={user},\u0001host={_stack.Host}\u0001port={port}\u0001auth=Bearer {token}\u0001\u0001";
        var reply = await CommandAsync("AUTH OAUTHBEARER " + Convert.ToBase64String(Encoding.UTF8.GetBytes(initial)));
        if (reply.Code == 334)
        {
            reply = await CommandAsync("AQ==");
        }
        return reply;
    }

    /// <summary>AUTH XOAUTH2 (Google's SASL profile, which Dovecot also validates).</summary>
    public async Task<SmtpReply> AuthXOAuth2Async(string user, string token)
    {
        var initial = $"user={user}\u0001auth=Bearer {token}\u0001\u0001";
        var reply = await CommandAsync("AUTH XOAUTH2 " + Convert.ToBase64String(Encoding.UTF8.GetBytes(initial)));
        if (reply.Code == 334)
        {
            reply = await CommandAsync("");
        }
        return reply;
    }

    /// <summary>Sends a small message; returns the first non-success reply, or the final DATA reply.</summary>
    public async Task<SmtpReply> SendAsync(string from, string to, string messageId, string subject)
    {
        var reply = await CommandAsync($"MAIL FROM:<{from}>");
        if (reply.Code != 250)
        {
            return reply;
        }
        reply = await CommandAsync($"RCPT TO:<{to}>");
        if (reply.Code != 250)
        {
            await CommandAsync("RSET");
            return reply;
        }
        reply = await CommandAsync("DATA");
        if (reply.Code != 354)
        {
            return reply;
        }
        var message = new StringBuilder()
            .Append("From: <").Append(from).Append(">\r\n")
            .Append("To: <").Append(to).Append(">\r\n")
            .Append("Subject: ").Append(subject).Append("\r\n")
            .Append("Message-ID: <").Append(messageId).Append(">\r\n")
            .Append("Date: ").Append(DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", System.Globalization.CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
            .Append("Message de test de la pile opérateur.\r\n.\r\n");
        await _connection.WriteRawAsync(Encoding.UTF8.GetBytes(message.ToString()));
        return await ReadReplyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _connection.WriteLineAsync("QUIT");
        }
        catch (IOException)
        {
            // The server may already have closed the connection after a refusal.
        }
        await _connection.DisposeAsync();
    }
}

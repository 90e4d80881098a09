using System.Globalization;
using System.Text;

namespace MSSante.IntegrationTests.Stack;

/// <summary>The untagged lines of one IMAP command and its tagged completion (RFC 9051 §7.1).</summary>
internal sealed record ImapResult(IReadOnlyList<string> Untagged, string Completion)
{
    public bool Ok => Completion.StartsWith("OK", StringComparison.Ordinal);

    public override string ToString() => string.Join("\n", Untagged.Append(Completion));
}

/// <summary>Just enough IMAP to log in with a token and look at mailboxes (no literals expected).</summary>
internal sealed class RawImap : IAsyncDisposable
{
    private readonly RawConnection _connection;
    private int _tag;

    private RawImap(RawConnection connection) => _connection = connection;

    public static async Task<RawImap> ConnectAsync(StackFacts stack, bool implicitTls = true)
    {
        var connection = await RawConnection.OpenAsync(stack, stack.Info.Port(implicitTls ? "imaps" : "imap"), implicitTls);
        var imap = new RawImap(connection);
        var greeting = await connection.ReadLineAsync();
        Assert.True(greeting?.StartsWith("* OK", StringComparison.Ordinal) == true, $"greeting: {greeting}");
        if (!implicitTls)
        {
            var starttls = await imap.CommandAsync("STARTTLS");
            Assert.True(starttls.Ok, starttls.ToString());
            await connection.StartTlsAsync(stack.Host);
        }
        return imap;
    }

    public async Task<ImapResult> CommandAsync(string command)
    {
        var tag = "t" + (++_tag).ToString(CultureInfo.InvariantCulture);
        await _connection.WriteLineAsync(tag + " " + command);
        return await ReadUntilTagAsync(tag);
    }

    private async Task<ImapResult> ReadUntilTagAsync(string tag)
    {
        var untagged = new List<string>();
        while (true)
        {
            var line = await _connection.ReadLineAsync() ?? throw new InvalidOperationException("IMAP server closed the connection");
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                return new ImapResult(untagged, line[(tag.Length + 1)..]);
            }
            untagged.Add(line);
        }
    }

    /// <summary>AUTHENTICATE OAUTHBEARER with SASL-IR (RFC 4959); an error challenge is answered with ^A.</summary>
    public async Task<ImapResult> AuthenticateAsync(string user, string token)
    {
        var tag = "t" + (++_tag).ToString(CultureInfo.InvariantCulture);
        var initial = $"n,a={user},\u0001auth=Bearer {token}\u0001\u0001";
        await _connection.WriteLineAsync($"{tag} AUTHENTICATE OAUTHBEARER {Convert.ToBase64String(Encoding.UTF8.GetBytes(initial))}");
        var line = await _connection.ReadLineAsync() ?? throw new InvalidOperationException("IMAP server closed the connection");
        if (line.StartsWith('+'))
        {
            await _connection.WriteLineAsync("AQ==");
            return await ReadUntilTagAsync(tag);
        }
        return line.StartsWith(tag + " ", StringComparison.Ordinal)
            ? new ImapResult([], line[(tag.Length + 1)..])
            : await ContinueAsync(tag, line);
    }

    private async Task<ImapResult> ContinueAsync(string tag, string first)
    {
        var rest = await ReadUntilTagAsync(tag);
        return new ImapResult([first, .. rest.Untagged], rest.Completion);
    }

    public async Task<ImapResult> LoginAsync(StackFacts stack, string mailbox)
    {
        var result = await AuthenticateAsync(mailbox, stack.Token(mailbox));
        Assert.True(result.Ok, $"OAUTHBEARER login of {mailbox}: {result}");
        return result;
    }

    /// <summary>Sequence numbers answered by SEARCH (RFC 9051 §7.3.4).</summary>
    public async Task<IReadOnlyList<int>> SearchAsync(string criteria)
    {
        var result = await CommandAsync("SEARCH " + criteria);
        Assert.True(result.Ok, result.ToString());
        return result.Untagged
            .Where(l => l.StartsWith("* SEARCH", StringComparison.Ordinal))
            .SelectMany(l => l["* SEARCH".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(n => int.Parse(n, CultureInfo.InvariantCulture))
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CommandAsync("LOGOUT");
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // Already closed by the server.
        }
        await _connection.DisposeAsync();
    }
}

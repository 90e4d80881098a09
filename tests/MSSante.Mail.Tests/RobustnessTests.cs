using System.Text;
using MSSante.Mail.Imap;
using MSSante.Mail.Sasl;
using MSSante.Mail.Smtp;
using MSSante.Mail.Tests.Support;

namespace MSSante.Mail.Tests;

/// <summary>
/// Garbage and truncated answers from a fake server: every run ends (success or one of the two
/// error families) well before a watchdog far above the client timeout; nothing else escapes.
/// </summary>
public sealed class RobustnessTests
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(10);

    private const string ImapGreeting = "* OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL+ AUTH=PLAIN] ready\r\n";

    private static readonly string[] ImapAnswers =
    [
        "{tag} OK [CAPABILITY IMAP4rev1 IDLE UIDPLUS MOVE CONDSTORE ESEARCH] Logged in\r\n",
        "* FLAGS (\\Seen \\Deleted)\r\n* 2 EXISTS\r\n* OK [UIDVALIDITY 42] x\r\n* OK [HIGHESTMODSEQ 7] x\r\n{tag} OK [READ-WRITE] selected\r\n",
        "* 1 FETCH (UID 5 FLAGS (\\Seen) INTERNALDATE \"05-Mar-2025 09:12:00 +0100\" RFC822.SIZE 120 ENVELOPE (\"date\" {7}\r\nsubject ((\"Dr X\" NIL \"x\" \"ch.fr\")) NIL NIL NIL NIL NIL NIL \"<id@x>\") BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"8bit\" 12 1 NIL NIL NIL NIL)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 30 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" NIL NIL NIL \"7bit\" 3 1) 2) \"mixed\") BODY[] {10}\r\n0123456789)\r\n* 2 FETCH (FLAGS () UID 6)\r\n{tag} OK done\r\n",
        "* ESEARCH (TAG \"{tag}\") UID ALL 5:6\r\n{tag} OK done\r\n",
        "+ idling\r\n* 3 EXISTS\r\n* 1 EXPUNGE\r\n* VANISHED 5\r\n",
        "{tag} OK idle done\r\n",
    ];

    private static async Task ImapScenarioAsync(int port)
    {
        var client = new ImapClient(new MailConnectionOptions { Host = "127.0.0.1", Port = port, Security = MailSecurity.None, Timeout = ClientTimeout });
        try
        {
            await client.ConnectAsync();
            await client.AuthenticateAsync(MailCredentials.Password("u", "p"));
            await client.SelectAsync("INBOX");
            await client.FetchAsync(UidSet.All, ImapFetchItems.Summary, [new ImapBodySection("")]);
            await client.SearchAsync(ImapSearchQuery.All);
            using var done = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await client.IdleAsync(done.Token);
        }
        finally
        {
            await client.DisposeAsync();
        }
    }

    private static async Task RunAsync(Func<Task> scenario, string what)
    {
        var run = scenario();
        var first = await Task.WhenAny(run, Task.Delay(Watchdog));
        Assert.True(first == run, "hung past the watchdog: " + what);
        try
        {
            await run;
        }
        catch (Exception ex) when (ex is MailProtocolException or MailCommandException)
        {
            // the two families are the only acceptable failures
        }
        catch (Exception ex)
        {
            Assert.Fail($"{what}: {ex.GetType().Name} escaped: {ex.Message}");
        }
    }

    [Fact]
    public async Task Valid_imap_script_completes()
    {
        await using var server = new ChunkServer(Encoding.Latin1.GetBytes(ImapGreeting), ImapAnswers.Select(Encoding.Latin1.GetBytes).ToList(), hangAtEnd: false);
        await ImapScenarioAsync(server.Port); // must not throw at all
    }

    public static TheoryData<int, bool> Cuts()
    {
        var data = new TheoryData<int, bool>();
        var total = ImapGreeting.Length + ImapAnswers.Sum(a => a.Length);
        for (var cut = 0; cut < total; cut += 23)
        {
            data.Add(cut, cut % 2 == 0);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cuts))]
    public async Task Truncated_imap_answers_end_in_a_protocol_error(int cut, bool hang)
    {
        var greeting = ImapGreeting;
        var answers = new List<byte[]>();
        var remaining = cut;
        if (remaining < greeting.Length)
        {
            greeting = greeting[..remaining];
            remaining = -1;
        }
        else
        {
            remaining -= greeting.Length;
            foreach (var a in ImapAnswers)
            {
                if (remaining < 0)
                {
                    break;
                }
                if (remaining < a.Length)
                {
                    answers.Add(Encoding.Latin1.GetBytes(a[..remaining]));
                    remaining = -1;
                    break;
                }
                answers.Add(Encoding.Latin1.GetBytes(a));
                remaining -= a.Length;
            }
        }
        await using var server = new ChunkServer(Encoding.Latin1.GetBytes(greeting), answers, hang);
        await RunAsync(() => ImapScenarioAsync(server.Port), $"cut at {cut}, hang {hang}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task Mutated_and_random_imap_answers_only_raise_the_two_families(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 25; round++)
        {
            var answers = ImapAnswers.Select(a =>
            {
                var bytes = Encoding.Latin1.GetBytes(a);
                var mutations = random.Next(1, 6);
                for (var i = 0; i < mutations; i++)
                {
                    var pos = random.Next(bytes.Length);
                    bytes[pos] = (byte)(random.Next(4) switch
                    {
                        0 => random.Next(256),
                        1 => "(){}[]\"\\ *+~<>"[random.Next(14)],
                        2 => '0' + random.Next(10),
                        _ => '\n',
                    });
                }
                return bytes;
            }).ToList();
            if (round % 5 == 0)
            {
                var garbage = new byte[random.Next(1, 400)];
                random.NextBytes(garbage);
                answers[random.Next(answers.Count)] = garbage;
            }
            await using var server = new ChunkServer(Encoding.Latin1.GetBytes(ImapGreeting), answers, hangAtEnd: round % 2 == 0);
            await RunAsync(() => ImapScenarioAsync(server.Port), $"seed {seed} round {round}");
        }
    }

    private const string SmtpGreeting = "220 mx ESMTP\r\n";

    private static readonly string[] SmtpAnswers =
    [
        "250-mx\r\n250-PIPELINING\r\n250-SIZE 100000\r\n250-ENHANCEDSTATUSCODES\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n",
        "235 2.7.0 ok\r\n",
        "250 2.1.0 ok\r\n250 2.1.5 ok\r\n554 5.7.1 refused\r\n354 go\r\n",
        "250 2.0.0 queued\r\n",
        "221 bye\r\n",
    ];

    private static async Task SmtpScenarioAsync(int port)
    {
        var client = new SmtpClient(new MailConnectionOptions { Host = "127.0.0.1", Port = port, Security = MailSecurity.None, Timeout = ClientTimeout });
        try
        {
            await client.ConnectAsync();
            await client.AuthenticateAsync(MailCredentials.Password("u", "p"));
            await client.SendAsync(new SmtpEnvelope { From = "a@b.fr", Recipients = [new SmtpRecipient("c@d.fr"), new SmtpRecipient("e@gmail.com")] }, "Subject: x\r\n\r\nhello\r\n"u8.ToArray());
            await client.QuitAsync();
        }
        finally
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Smtp_truncations_and_garbage_only_raise_the_two_families()
    {
        var all = SmtpGreeting + string.Concat(SmtpAnswers);
        var random = new Random(11);
        for (var cut = 0; cut < all.Length; cut += 9)
        {
            // truncation: the server says less than a full exchange, then closes or hangs
            var answers = new List<byte[]>();
            var rest = cut - SmtpGreeting.Length;
            foreach (var a in SmtpAnswers)
            {
                if (rest <= 0)
                {
                    break;
                }
                answers.Add(Encoding.Latin1.GetBytes(a[..Math.Min(rest, a.Length)]));
                rest -= a.Length;
            }
            var greeting = SmtpGreeting[..Math.Min(cut, SmtpGreeting.Length)];
            await using var server = new ChunkServer(Encoding.Latin1.GetBytes(greeting), answers, hangAtEnd: cut % 2 == 0);
            await RunAsync(() => SmtpScenarioAsync(server.Port), "smtp cut " + cut);
        }
        for (var round = 0; round < 60; round++)
        {
            var answers = SmtpAnswers.Select(a =>
            {
                var bytes = Encoding.Latin1.GetBytes(a);
                for (var i = 0; i < random.Next(1, 4); i++)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }
                return bytes;
            }).ToList();
            await using var server = new ChunkServer(Encoding.Latin1.GetBytes(SmtpGreeting), answers, hangAtEnd: round % 2 == 0);
            await RunAsync(() => SmtpScenarioAsync(server.Port), "smtp garbage round " + round);
        }
    }
}

using System.Diagnostics;
using System.Text.Json;

namespace MSSante.IntegrationTests.Webmail;

/// <summary>
/// Another IMAP client than ours acting on the same mailbox: Python's imaplib over IMAPS with
/// SASL OAUTHBEARER (RFC 7628), the way Thunderbird would, to prove the webmail follows changes
/// it did not make itself.
/// </summary>
internal static class PythonImap
{
    /// <summary>Runs <paramref name="statements"/> with <c>c</c> an authenticated imaplib connection.</summary>
    public static async Task RunAsync(MailUiFixture fixture, string address, string statements)
    {
        var user = fixture.User(address);
        var token = TokenFor(fixture, user);
        var script = string.Join('\n',
            "import imaplib, ssl, os",
            "ctx = ssl.create_default_context(cafile=os.environ['CA'])",
            "ctx.check_hostname = False",
            "c = imaplib.IMAP4_SSL(os.environ['HOST'], int(os.environ['PORT']), ssl_context=ctx)",
            "c.authenticate('OAUTHBEARER', lambda _: ('n,a=%s,\\x01auth=Bearer %s\\x01\\x01' % (os.environ['USER_ADDR'], os.environ['TOKEN'])).encode())",
            statements,
            "c.logout()");
        var start = new ProcessStartInfo("python3", ["-c", script]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["CA"] = fixture.Stack.PathOf("caCertificate");
        start.Environment["HOST"] = fixture.Stack.Host;
        start.Environment["PORT"] = fixture.Stack.Port("imaps").ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["USER_ADDR"] = user.Address;
        start.Environment["TOKEN"] = token;
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "python imaplib failed: " + error);
    }

    private static string TokenFor(MailUiFixture fixture, MSSante.Webmail.Mail.MailUser user)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.Stack.StateDirectory, "settings", "operator.json")));
        var t = doc.RootElement.GetProperty("OperatorToken");
        using var source = new MSSante.Webmail.Mail.OperatorTokenSource(Microsoft.Extensions.Options.Options.Create(new MSSante.Infrastructure.Operator.OperatorTokenOptions
        {
            SigningKeyFile = t.GetProperty("SigningKeyFile").GetString()!,
            Issuer = t.GetProperty("Issuer").GetString()!,
            Audience = t.GetProperty("Audience").GetString()!,
            KeyId = t.GetProperty("KeyId").GetString(),
        }));
        return source.Mint(user.IdNat, user.Address);
    }
}

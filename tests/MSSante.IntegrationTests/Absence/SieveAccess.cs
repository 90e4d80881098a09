using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MSSante.IntegrationTests.Support;
using MSSante.Mail;
using MSSante.Mail.Sasl;
using MSSante.Mail.Sieve;
using MSSante.Webmail.Mail;

namespace MSSante.IntegrationTests.Absence;

/// <summary>Direct ManageSieve access to a demo mailbox (as the webmail reaches it), to check and restore scripts.</summary>
public static class SieveAccess
{
    public static async Task<ManageSieveClient> OpenAsync(StackInfo stack, MailUser user)
    {
        var settings = Path.Combine(stack.StateDirectory, "settings", "operator.json");
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(settings));
        var token = doc.RootElement.GetProperty("OperatorToken");
        var tokens = new OperatorTokenSource(Microsoft.Extensions.Options.Options.Create(new MSSante.Infrastructure.Operator.OperatorTokenOptions
        {
            SigningKeyFile = token.GetProperty("SigningKeyFile").GetString()!,
            Issuer = token.GetProperty("Issuer").GetString()!,
            Audience = token.GetProperty("Audience").GetString()!,
            KeyId = token.GetProperty("KeyId").GetString(),
            LifetimeSeconds = 300,
        }));
        var anchors = new X509Certificate2Collection();
        anchors.ImportFromPemFile(stack.PathOf("caCertificate"));
        var client = new ManageSieveClient(new MailConnectionOptions
        {
            Host = stack.Host,
            Port = stack.Port("managesieve"),
            Security = MailSecurity.StartTls,
            TrustAnchors = anchors,
            Timeout = TimeSpan.FromSeconds(30),
        });
        await client.ConnectAsync();
        await client.AuthenticateAsync(MailCredentials.OAuth(user.Address, _ => ValueTask.FromResult(tokens.Mint(user.IdNat, user.Address))));
        return client;
    }

    /// <summary>The scripts of a mailbox with their content, to put back after a test.</summary>
    public static async Task<IReadOnlyList<(SieveScriptInfo Info, string Content)>> SnapshotAsync(StackInfo stack, MailUser user)
    {
        await using var sieve = await OpenAsync(stack, user);
        var result = new List<(SieveScriptInfo, string)>();
        foreach (var s in await sieve.ListScriptsAsync())
        {
            result.Add((s, await sieve.GetScriptAsync(s.Name)));
        }
        await sieve.LogoutAsync();
        return result;
    }

    /// <summary>Puts the scripts back as <paramref name="snapshot"/> had them; removes any script added since.</summary>
    public static async Task RestoreAsync(StackInfo stack, MailUser user, IReadOnlyList<(SieveScriptInfo Info, string Content)> snapshot)
    {
        await using var sieve = await OpenAsync(stack, user);
        foreach (var (info, content) in snapshot)
        {
            await sieve.PutScriptAsync(info.Name, content);
        }
        await sieve.SetActiveAsync(snapshot.FirstOrDefault(s => s.Info.IsActive).Info?.Name ?? "");
        foreach (var s in await sieve.ListScriptsAsync())
        {
            if (!snapshot.Any(x => x.Info.Name == s.Name))
            {
                await sieve.DeleteScriptAsync(s.Name);
            }
        }
        await sieve.LogoutAsync();
    }
}

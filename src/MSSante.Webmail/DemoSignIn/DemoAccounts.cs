using System.Text.Json;
using Microsoft.Extensions.Options;
using MSSante.Webmail.Hosting;
using MSSante.Webmail.Security;

namespace MSSante.Webmail.DemoSignIn;

/// <summary>The fictitious people one may sign in as in the demo environment.</summary>
/// <remarks>
/// The list is re-read when its file changes: the operator stack rewrites stack.json on every
/// start, and removes it while stopped.
/// </remarks>
public sealed class DemoAccounts(IOptions<DemoSignInOptions> options, IHostEnvironment environment)
{
    private (DateTime Stamp, IReadOnlyList<WebmailIdentity> Accounts) _cache = (DateTime.MinValue, []);

    public IReadOnlyList<WebmailIdentity> All
    {
        get
        {
            var file = ResolveFile(options.Value, environment);
            if (file is null || !File.Exists(file))
            {
                return [];
            }
            var stamp = File.GetLastWriteTimeUtc(file);
            var cache = _cache;
            if (cache.Stamp != stamp)
            {
                cache = (stamp, Load(file));
                _cache = cache;
            }
            return cache.Accounts;
        }
    }

    public WebmailIdentity? Find(string idNat) => All.FirstOrDefault(a => a.IdNat == idNat);

    private static IReadOnlyList<WebmailIdentity> Load(string file)
    {
        using var stream = File.OpenRead(file);
        using var document = JsonDocument.Parse(stream);
        if (!document.RootElement.TryGetProperty("users", out var users))
        {
            return [];
        }
        var all = users.EnumerateArray().ToList();
        var accounts = new List<WebmailIdentity>();
        foreach (var user in all.Where(u => Text(u, "type") == "PER"))
        {
            var address = Text(user, "address")!;
            // Own mailbox first, then the service mailboxes the person answers for or is a delegate of.
            var mailboxes = new List<string> { address };
            mailboxes.AddRange(all
                .Where(u => Text(u, "type") == "ORG"
                    && (Text(u, "responsible") == address
                        || (u.TryGetProperty("delegates", out var d) && d.EnumerateArray().Any(x => x.GetString() == address))))
                .Select(u => Text(u, "address")!));
            accounts.Add(new WebmailIdentity(
                Text(user, "idNat")!,
                Text(user, "displayName") ?? address,
                Text(user, "profession"),
                mailboxes,
                "demo"));
        }
        return accounts;
    }

    private static string? ResolveFile(DemoSignInOptions options, IHostEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(options.IdentitiesFile))
        {
            return Path.GetFullPath(options.IdentitiesFile, environment.ContentRootPath);
        }
        var settings = Environment.GetEnvironmentVariable(SettingsDirectoryExtensions.VariableName);
        return string.IsNullOrWhiteSpace(settings) ? null : Path.Combine(Path.GetFullPath(settings), "..", "stack.json");
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

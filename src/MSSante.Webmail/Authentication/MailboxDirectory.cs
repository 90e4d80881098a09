using System.Text.Json;
using Microsoft.Extensions.Options;

namespace MSSante.Webmail.Authentication;

/// <summary>Which mailboxes a card holder may open. The national directory will replace the configured lists.</summary>
public interface IMailboxDirectory
{
    /// <summary>The mailboxes of <paramref name="idNat"/>, own first, then service mailboxes; empty when unknown.</summary>
    IReadOnlyList<string> FindMailboxes(string idNat);
}

/// <summary>
/// Mailboxes from <c>CardLogin:Accounts</c> and from the operator stack's user list
/// (<c>CardLogin:DirectoryFile</c>): a person's own PER box, plus the ORG boxes they are
/// responsible for or a delegate of.
/// </summary>
public sealed class ConfiguredMailboxDirectory(IOptions<CardLoginOptions> options) : IMailboxDirectory
{
    /// <inheritdoc />
    public IReadOnlyList<string> FindMailboxes(string idNat)
    {
        var result = new List<string>();
        foreach (var account in options.Value.Accounts.Where(a => a.IdNat == idNat))
        {
            result.AddRange(account.Mailboxes);
        }
        var file = options.Value.DirectoryFile;
        if (!string.IsNullOrWhiteSpace(file) && File.Exists(file))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            if (doc.RootElement.TryGetProperty("users", out var users) && users.ValueKind == JsonValueKind.Array)
            {
                var all = users.EnumerateArray().ToList();
                foreach (var own in all.Where(u => Text(u, "type") == "PER" && Text(u, "idNat") == idNat))
                {
                    var address = Text(own, "address");
                    if (address is null)
                    {
                        continue;
                    }
                    result.Add(address);
                    result.AddRange(all.Where(u => Text(u, "type") == "ORG"
                            && (Text(u, "responsible") == address
                                || (u.TryGetProperty("delegates", out var d) && d.ValueKind == JsonValueKind.Array
                                    && d.EnumerateArray().Any(x => x.GetString() == address))))
                        .Select(u => Text(u, "address")!));
                }
            }
        }
        return result.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

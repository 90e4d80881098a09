namespace MSSante.Mime;

/// <summary>An entry of an address list: a mailbox or a group (RFC 5322 §3.4).</summary>
public abstract record InternetAddress
{
    /// <summary>The display name (decoded), or null.</summary>
    public abstract string? Name { get; }
}

/// <summary>A mailbox: optional display name and an addr-spec.</summary>
/// <param name="DisplayName">The decoded display name, or null when there is none.</param>
/// <param name="Address">The addr-spec, <c>local@domain</c>.</param>
public sealed record MailboxAddress(string? DisplayName, string Address) : InternetAddress
{
    /// <inheritdoc />
    public override string? Name => DisplayName;

    /// <summary>The domain part (after the last '@'), lower case, or "".</summary>
    public string Domain
    {
        get
        {
            var at = Address.LastIndexOf('@');
            return at < 0 ? string.Empty : Address[(at + 1)..].ToLowerInvariant();
        }
    }

    /// <summary>Parses a single mailbox, or returns null when the text holds none.</summary>
    public static MailboxAddress? Parse(string text) => AddressParser.Parse(text).Mailboxes().FirstOrDefault();

    /// <inheritdoc />
    public override string ToString() => string.IsNullOrEmpty(DisplayName) ? Address : $"{DisplayName} <{Address}>";
}

/// <summary>A named group of mailboxes (<c>name: a, b;</c>), possibly empty (<c>undisclosed-recipients:;</c>).</summary>
/// <param name="GroupName">The decoded group name.</param>
/// <param name="Members">The mailboxes of the group.</param>
public sealed record GroupAddress(string GroupName, IReadOnlyList<MailboxAddress> Members) : InternetAddress
{
    /// <inheritdoc />
    public override string? Name => GroupName;
}

/// <summary>Helpers over address lists.</summary>
public static class AddressListExtensions
{
    /// <summary>The mailboxes of the list, group members flattened in order.</summary>
    public static IEnumerable<MailboxAddress> Mailboxes(this IEnumerable<InternetAddress> list)
    {
        foreach (var a in list)
        {
            if (a is MailboxAddress m)
            {
                yield return m;
            }
            else if (a is GroupAddress g)
            {
                foreach (var member in g.Members)
                {
                    yield return member;
                }
            }
        }
    }
}

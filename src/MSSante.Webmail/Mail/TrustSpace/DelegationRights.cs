namespace MSSante.Webmail.Mail.TrustSpace;

/// <summary>
/// What an owner grants a delegate on a service mailbox, in the words of the page, and the IMAP
/// ACL rights (RFC 4314 §2.1) each choice stands for.
/// </summary>
public sealed record DelegationRights(bool Read, bool Flags, bool Insert, bool Delete, bool Post)
{
    /// <summary>Everything a secretary of the service usually needs.</summary>
    public static DelegationRights All { get; } = new(true, true, true, true, true);

    /// <summary>The RFC 4314 rights string, e.g. <c>lrswikte p</c> without spaces.</summary>
    /// <remarks>
    /// Reading implies lookup (l), read (r) and keeping one's own seen state (s): a delegate who
    /// may do anything else but not read would see nothing. Insert is file and copy into the
    /// box (i) and create sub-folders (k); delete is flag deleted (t) and expunge (e); post (p)
    /// is what the webmail requires to send for the service.
    /// </remarks>
    public string ToAcl()
    {
        var rights = "lrs";
        if (Flags)
        {
            rights += "w";
        }
        if (Insert)
        {
            rights += "ik";
        }
        if (Delete)
        {
            rights += "te";
        }
        if (Post)
        {
            rights += "p";
        }
        return rights;
    }

    /// <summary>Reads an ACL rights string back (extra rights such as admin are reported apart).</summary>
    public static DelegationRights FromAcl(string rights)
    {
        ArgumentNullException.ThrowIfNull(rights);
        return new DelegationRights(
            rights.Contains('r', StringComparison.Ordinal),
            rights.Contains('w', StringComparison.Ordinal),
            rights.Contains('i', StringComparison.Ordinal),
            rights.Contains('t', StringComparison.Ordinal) || rights.Contains('e', StringComparison.Ordinal),
            rights.Contains('p', StringComparison.Ordinal));
    }

    /// <summary>The French labels of the granted rights, for lists and the audit page.</summary>
    public IReadOnlyList<string> Labels()
    {
        var labels = new List<string>();
        if (Read)
        {
            labels.Add("lecture");
        }
        if (Flags)
        {
            labels.Add("indicateurs");
        }
        if (Insert)
        {
            labels.Add("classement");
        }
        if (Delete)
        {
            labels.Add("suppression");
        }
        if (Post)
        {
            labels.Add("envoi pour le service");
        }
        return labels;
    }
}

/// <summary>One person with access to a service mailbox.</summary>
/// <param name="Identifier">The ACL identifier: the person's mailbox address at the operator.</param>
/// <param name="Rights">The rights as the page names them.</param>
/// <param name="AclRights">The raw RFC 4314 rights.</param>
/// <param name="IsAdministrator">True for a responsible person (right a): shown, never revoked here.</param>
public sealed record DelegateAccess(string Identifier, DelegationRights Rights, string AclRights, bool IsAdministrator);

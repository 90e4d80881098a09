namespace MSSante.Domain.TrustSpace;

/// <summary>
/// One <c>Domaine</c> element of the published whitelist. A domain name appears once per
/// operator certificate, so several entries may share <see cref="Name"/>.
/// </summary>
/// <param name="Name">The mail domain, lower-cased and trimmed.</param>
/// <param name="Description">Free text describing the domain's owner.</param>
/// <param name="OperatorCertificateDn">Distinguished name of the operator's TLS certificate.</param>
/// <param name="ResponsibleContact">The responsible person's contact line.</param>
/// <param name="SupportContact">The support contact line.</param>
/// <param name="UpdatedAt">The entry's last update (<c>DateMAJ</c>), when parseable.</param>
public sealed record WhitelistEntry(
    string Name,
    string? Description,
    string? OperatorCertificateDn,
    string? ResponsibleContact,
    string? SupportContact,
    DateTimeOffset? UpdatedAt);

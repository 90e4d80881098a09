using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MSSante.Infrastructure.NationalDirectory;

/// <summary>
/// What the directory shows of a practitioner's absence: the dates and whom to contact, never
/// the auto-reply's text (that goes only to people who wrote). Written by the absence page when
/// an absence is saved, removed when it is switched off; past absences are ignored.
/// </summary>
public sealed class AbsenceNotice
{
    /// <summary>The absent mailbox, lower-case: the key.</summary>
    public string MailboxAddress { get; set; } = string.Empty;

    /// <summary>First day of absence (inclusive), in the host's local calendar.</summary>
    public DateOnly StartDate { get; set; }

    /// <summary>Last day of absence (inclusive), or null when the return is not known.</summary>
    public DateOnly? EndDate { get; set; }

    /// <summary>The colleague to contact meanwhile, lower-case, or null.</summary>
    public string? ContactAddress { get; set; }

    /// <summary>When the notice was last written, UTC.</summary>
    public DateTime UpdatedAtUtc { get; set; }

    /// <summary>True when <paramref name="today"/> falls within the absence.</summary>
    public bool IsCurrent(DateOnly today) => StartDate <= today && (EndDate is not { } end || end >= today);

    /// <summary>
    /// The line a directory entry shows: "Absent jusqu'au 24/11/2026, contactez a@b.fr", or a
    /// shorter form when the return date or the contact is not known.
    /// </summary>
    public string Describe()
    {
        var text = EndDate is { } end
            ? "Absent jusqu'au " + end.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)
            : "Absent";
        return ContactAddress is { Length: > 0 } contact ? text + ", contactez " + contact : text;
    }
}

internal sealed class AbsenceNoticeConfiguration : IEntityTypeConfiguration<AbsenceNotice>
{
    // RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address fits in 254.
    private const int AddressLength = 254;

    public void Configure(EntityTypeBuilder<AbsenceNotice> builder)
    {
        builder.ToTable("absence_notices");
        builder.HasKey(n => n.MailboxAddress);
        builder.Property(n => n.MailboxAddress).HasColumnName("mailbox_address").HasMaxLength(AddressLength);
        builder.Property(n => n.StartDate).HasColumnName("start_date");
        builder.Property(n => n.EndDate).HasColumnName("end_date");
        builder.Property(n => n.ContactAddress).HasColumnName("contact_address").HasMaxLength(AddressLength);
        builder.Property(n => n.UpdatedAtUtc).HasColumnName("updated_at_utc");
        builder.HasIndex(n => n.EndDate).HasDatabaseName("ix_absence_notices_end_date");
    }
}

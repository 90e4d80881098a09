using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MSSante.Infrastructure.Persistence.Preferences;

internal sealed class UserPreferenceConfiguration :
    IEntityTypeConfiguration<UserPreference>,
    IEntityTypeConfiguration<MailboxSignature>,
    IEntityTypeConfiguration<RemoteContentSender>
{
    // idNat is at most 1 + 11 digits for RPPS; local identifiers of interns and secretaries are
    // longer (structure id + "/" + local id).
    private const int IdNatLength = 64;
    // RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address fits in 254.
    private const int AddressLength = 254;

    public void Configure(EntityTypeBuilder<UserPreference> builder)
    {
        builder.ToTable("user_preferences");
        builder.HasKey(p => p.IdNat);
        builder.Property(p => p.IdNat).HasMaxLength(IdNatLength);
        builder.Property(p => p.ReadReceiptPolicy).HasConversion<string>().HasMaxLength(16);
        builder.HasMany(p => p.Signatures).WithOne().HasForeignKey(s => s.IdNat).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.RemoteContentSenders).WithOne().HasForeignKey(s => s.IdNat).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<MailboxSignature> builder)
    {
        builder.ToTable("mailbox_signatures");
        builder.HasKey(s => new { s.IdNat, s.MailboxAddress });
        builder.Property(s => s.IdNat).HasMaxLength(IdNatLength);
        builder.Property(s => s.MailboxAddress).HasMaxLength(AddressLength);
        builder.Property(s => s.Text).HasMaxLength(4000);
    }

    public void Configure(EntityTypeBuilder<RemoteContentSender> builder)
    {
        builder.ToTable("remote_content_senders");
        builder.HasKey(s => new { s.IdNat, s.SenderAddress });
        builder.Property(s => s.IdNat).HasMaxLength(IdNatLength);
        builder.Property(s => s.SenderAddress).HasMaxLength(AddressLength);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MSSante.Infrastructure.Persistence.CardLogin;

internal sealed class CardLoginConfiguration :
    IEntityTypeConfiguration<CardLoginChallenge>,
    IEntityTypeConfiguration<CardLoginEndedSession>
{
    public void Configure(EntityTypeBuilder<CardLoginChallenge> builder)
    {
        builder.ToTable("card_login_challenges");
        builder.HasKey(c => c.Nonce);
        builder.Property(c => c.Nonce).HasMaxLength(64);
        // RFC 6454 origins; the configured ones are short, 255 leaves room for long host names.
        builder.Property(c => c.Origin).HasMaxLength(255);
        builder.Property(c => c.Bytes).HasMaxLength(1024);
        // The purge deletes by expiry.
        builder.HasIndex(c => c.ExpiresAtUnixMs);
    }

    public void Configure(EntityTypeBuilder<CardLoginEndedSession> builder)
    {
        builder.ToTable("card_login_ended_sessions");
        builder.HasKey(s => s.SessionId);
        builder.Property(s => s.SessionId).HasMaxLength(64);
        builder.HasIndex(s => s.ForgetAfterUnixMs);
    }
}

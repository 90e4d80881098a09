using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MSSante.Domain.Audit;

namespace MSSante.Infrastructure.Audit;

internal sealed class AuditConfiguration : IEntityTypeConfiguration<AuditEntry>, IEntityTypeConfiguration<AuditChainState>
{
    public const string EntriesTable = "audit_entries";
    public const string StateTable = "audit_chain_state";

    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable(EntriesTable);
        builder.HasKey(e => e.Sequence);
        // The sequence is the chain position, assigned under the chain lock, never by the database.
        builder.Property(e => e.Sequence).HasColumnName("sequence").ValueGeneratedNever();
        builder.Property(e => e.OccurredAtUtc).HasColumnName("occurred_at_utc");
        builder.Property(e => e.AuthorIdNat).HasColumnName("author_idnat").HasMaxLength(64).IsRequired();
        builder.Property(e => e.Mailbox).HasColumnName("mailbox").HasMaxLength(254).IsRequired();
        builder.Property(e => e.Action).HasColumnName("action").HasConversion<string>().HasMaxLength(32);
        builder.Property(e => e.Success).HasColumnName("success");
        builder.Property(e => e.TargetUid).HasColumnName("target_uid");
        builder.Property(e => e.TargetMessageId).HasColumnName("target_message_id").HasMaxLength(AuditChain.MaxMessageIdLength);
        builder.Property(e => e.ServerResponse).HasColumnName("server_response").HasMaxLength(AuditChain.MaxServerResponseLength);
        builder.Property(e => e.Detail).HasColumnName("detail").HasMaxLength(AuditChain.MaxDetailLength);
        builder.Property(e => e.PreviousHash).HasColumnName("previous_hash").HasMaxLength(64).IsRequired();
        builder.Property(e => e.Hash).HasColumnName("hash").HasMaxLength(64).IsRequired();
        builder.HasIndex(e => new { e.Mailbox, e.OccurredAtUtc }).HasDatabaseName("ix_audit_entries_mailbox_time");
        builder.HasIndex(e => e.OccurredAtUtc).HasDatabaseName("ix_audit_entries_time");
        builder.HasIndex(e => e.AuthorIdNat).HasDatabaseName("ix_audit_entries_author");
    }

    public void Configure(EntityTypeBuilder<AuditChainState> builder)
    {
        builder.ToTable(StateTable);
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(s => s.LastSequence).HasColumnName("last_sequence");
        builder.Property(s => s.LastHash).HasColumnName("last_hash").HasMaxLength(64).IsRequired();
        builder.Property(s => s.AnchorSequence).HasColumnName("anchor_sequence");
        builder.Property(s => s.AnchorHash).HasColumnName("anchor_hash").HasMaxLength(64).IsRequired();
        builder.Property(s => s.AnchoredAtUtc).HasColumnName("anchored_at_utc");
    }
}

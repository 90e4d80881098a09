using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MSSante.Infrastructure.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class TrustSpace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_chain_state",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    last_sequence = table.Column<long>(type: "bigint", nullable: false),
                    last_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    anchor_sequence = table.Column<long>(type: "bigint", nullable: false),
                    anchor_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    anchored_at_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_chain_state", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    occurred_at_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    author_idnat = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    mailbox = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    success = table.Column<bool>(type: "boolean", nullable: false),
                    target_uid = table.Column<long>(type: "bigint", nullable: true),
                    target_message_id = table.Column<string>(type: "character varying(998)", maxLength: 998, nullable: true),
                    server_response = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    detail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    previous_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entries", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "directory_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    address = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    mailbox_type = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    practitioner_id_type = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    practitioner_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    national_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    structure_id_type = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    structure_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    service = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    civility = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    last_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    first_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    profession_category = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    profession_category_label = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    profession_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    profession_label = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    specialty_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    specialty_label = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    dematerialisation = table.Column<bool>(type: "boolean", nullable: true),
                    structure_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    structure_trade_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    address_complement = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    distribution_complement = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    street_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    street_number_suffix = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    street_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    street_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    locality = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    delivery_line = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    postal_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    department = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    country = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    row_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    search_names = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    search_other = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_directory_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "directory_imports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    imported_at_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    source = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    read = table.Column<int>(type: "integer", nullable: false),
                    inserted = table.Column<int>(type: "integer", nullable: false),
                    updated = table.Column<int>(type: "integer", nullable: false),
                    unchanged = table.Column<int>(type: "integer", nullable: false),
                    deleted = table.Column<int>(type: "integer", nullable: false),
                    malformed = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_directory_imports", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "whitelist_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    domain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    operator_certificate_dn = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    responsible_contact = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    support_contact = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    updated_at_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_whitelist_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "whitelist_imports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    imported_at_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    source = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    generated_at_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    entries = table.Column<int>(type: "integer", nullable: false),
                    domains = table.Column<int>(type: "integer", nullable: false),
                    previous_domains = table.Column<int>(type: "integer", nullable: false),
                    truncated = table.Column<bool>(type: "boolean", nullable: false),
                    accepted = table.Column<bool>(type: "boolean", nullable: false),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_whitelist_imports", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_author",
                table: "audit_entries",
                column: "author_idnat");

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_mailbox_time",
                table: "audit_entries",
                columns: new[] { "mailbox", "occurred_at_utc" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_time",
                table: "audit_entries",
                column: "occurred_at_utc");

            migrationBuilder.CreateIndex(
                name: "ix_directory_entries_national_id",
                table: "directory_entries",
                column: "national_id");

            migrationBuilder.CreateIndex(
                name: "ux_directory_entries_address",
                table: "directory_entries",
                column: "address",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_whitelist_entries_domain",
                table: "whitelist_entries",
                column: "domain");

            migrationBuilder.CreateIndex(
                name: "ix_whitelist_imports_imported_at",
                table: "whitelist_imports",
                column: "imported_at_utc");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_chain_state");

            migrationBuilder.DropTable(
                name: "audit_entries");

            migrationBuilder.DropTable(
                name: "directory_entries");

            migrationBuilder.DropTable(
                name: "directory_imports");

            migrationBuilder.DropTable(
                name: "whitelist_entries");

            migrationBuilder.DropTable(
                name: "whitelist_imports");
        }
    }
}

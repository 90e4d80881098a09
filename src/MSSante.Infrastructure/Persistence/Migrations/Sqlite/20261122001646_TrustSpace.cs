using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MSSante.Infrastructure.Persistence.Migrations.Sqlite
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
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    last_sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    last_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    anchor_sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    anchor_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    anchored_at_utc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_chain_state", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    occurred_at_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    author_idnat = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    mailbox = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    success = table.Column<bool>(type: "INTEGER", nullable: false),
                    target_uid = table.Column<long>(type: "INTEGER", nullable: true),
                    target_message_id = table.Column<string>(type: "TEXT", maxLength: 998, nullable: true),
                    server_response = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    detail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    previous_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entries", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "directory_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    address = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    mailbox_type = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    practitioner_id_type = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    practitioner_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    national_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    structure_id_type = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    structure_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    service = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    civility = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    last_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    first_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    profession_category = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    profession_category_label = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    profession_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    profession_label = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    specialty_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    specialty_label = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    dematerialisation = table.Column<bool>(type: "INTEGER", nullable: true),
                    structure_name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    structure_trade_name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    address_complement = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    distribution_complement = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    street_number = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    street_number_suffix = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    street_type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    street_name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    locality = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    delivery_line = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    postal_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    department = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    country = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    row_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    search_names = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    search_other = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_directory_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "directory_imports",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    imported_at_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    read = table.Column<int>(type: "INTEGER", nullable: false),
                    inserted = table.Column<int>(type: "INTEGER", nullable: false),
                    updated = table.Column<int>(type: "INTEGER", nullable: false),
                    unchanged = table.Column<int>(type: "INTEGER", nullable: false),
                    deleted = table.Column<int>(type: "INTEGER", nullable: false),
                    malformed = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_directory_imports", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "whitelist_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    operator_certificate_dn = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    responsible_contact = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    support_contact = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    updated_at_utc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_whitelist_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "whitelist_imports",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    imported_at_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    generated_at_utc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    entries = table.Column<int>(type: "INTEGER", nullable: false),
                    domains = table.Column<int>(type: "INTEGER", nullable: false),
                    previous_domains = table.Column<int>(type: "INTEGER", nullable: false),
                    truncated = table.Column<bool>(type: "INTEGER", nullable: false),
                    accepted = table.Column<bool>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
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

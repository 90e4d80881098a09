using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MSSante.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "user_preferences",
                columns: table => new
                {
                    IdNat = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ReadReceiptPolicy = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_preferences", x => x.IdNat);
                });

            migrationBuilder.CreateTable(
                name: "mailbox_signatures",
                columns: table => new
                {
                    IdNat = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MailboxAddress = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mailbox_signatures", x => new { x.IdNat, x.MailboxAddress });
                    table.ForeignKey(
                        name: "FK_mailbox_signatures_user_preferences_IdNat",
                        column: x => x.IdNat,
                        principalTable: "user_preferences",
                        principalColumn: "IdNat",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "remote_content_senders",
                columns: table => new
                {
                    IdNat = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SenderAddress = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    AllowedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_remote_content_senders", x => new { x.IdNat, x.SenderAddress });
                    table.ForeignKey(
                        name: "FK_remote_content_senders_user_preferences_IdNat",
                        column: x => x.IdNat,
                        principalTable: "user_preferences",
                        principalColumn: "IdNat",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "mailbox_signatures");

            migrationBuilder.DropTable(
                name: "remote_content_senders");

            migrationBuilder.DropTable(
                name: "user_preferences");
        }
    }
}

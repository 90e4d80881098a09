using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MSSante.Infrastructure.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class CardLoginChallenges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "card_login_challenges",
                columns: table => new
                {
                    Nonce = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Origin = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    IssuedAtUnixMs = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAtUnixMs = table.Column<long>(type: "bigint", nullable: false),
                    Bytes = table.Column<byte[]>(type: "bytea", maxLength: 1024, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_card_login_challenges", x => x.Nonce);
                });

            migrationBuilder.CreateTable(
                name: "card_login_ended_sessions",
                columns: table => new
                {
                    SessionId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    EndedAtUnixMs = table.Column<long>(type: "bigint", nullable: false),
                    ForgetAfterUnixMs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_card_login_ended_sessions", x => x.SessionId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_card_login_challenges_ExpiresAtUnixMs",
                table: "card_login_challenges",
                column: "ExpiresAtUnixMs");

            migrationBuilder.CreateIndex(
                name: "IX_card_login_ended_sessions_ForgetAfterUnixMs",
                table: "card_login_ended_sessions",
                column: "ForgetAfterUnixMs");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "card_login_challenges");

            migrationBuilder.DropTable(
                name: "card_login_ended_sessions");
        }
    }
}

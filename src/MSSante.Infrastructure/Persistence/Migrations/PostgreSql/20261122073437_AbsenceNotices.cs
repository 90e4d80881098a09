using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MSSante.Infrastructure.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class AbsenceNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "absence_notices",
                columns: table => new
                {
                    mailbox_address = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    start_date = table.Column<DateOnly>(type: "date", nullable: false),
                    end_date = table.Column<DateOnly>(type: "date", nullable: true),
                    contact_address = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    updated_at_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_absence_notices", x => x.mailbox_address);
                });

            migrationBuilder.CreateIndex(
                name: "ix_absence_notices_end_date",
                table: "absence_notices",
                column: "end_date");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "absence_notices");
        }
    }
}

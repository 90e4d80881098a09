using MSSante.Webmail.Authentication;
using MSSante.Webmail.Hosting;
using MSSante.Webmail.Mail;
using MSSante.Webmail.Endpoints.Attachments;
using MSSante.Webmail.Endpoints.Audit;
using MSSante.Webmail.Mail.TrustSpace;

var builder = WebApplication.CreateBuilder(args);
builder.AddWebmailHost();
builder.AddWebmailMail();
builder.AddCardLogin();
builder.AddWebmailTrustSpace();

var app = builder.Build();
await app.Services.PrepareWebmailAsync();
app.UseWebmailPipeline();
app.MapAttachmentEndpoints();
app.MapCardLogin();
app.MapAuditEndpoints();
app.Run();

/// <summary>Entry point; public so tests can address the assembly.</summary>
public partial class Program;

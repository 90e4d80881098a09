using MSSante.Webmail.Authentication;
using MSSante.Webmail.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddWebmailHost();
builder.AddCardLogin();

var app = builder.Build();
await app.Services.PrepareWebmailAsync();
app.UseWebmailPipeline();
app.MapCardLogin();
app.Run();

/// <summary>Entry point; public so tests can address the assembly.</summary>
public partial class Program;

using System.Net;
using Microsoft.Extensions.Options;
using MSSante.CardBridge;

// The card bridge: a small local service on the practitioner's workstation that lets the
// webmail page use the CPS card through PKCS#11. It listens on 127.0.0.1 only and answers
// the configured webmail origins only. See README.md.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOptions<BridgeOptions>()
    .Bind(builder.Configuration.GetSection(BridgeOptions.SectionName))
    .ValidateDataAnnotations()
    .Validate(o => o.AllowedOrigins.All(x => Uri.TryCreate(x, UriKind.Absolute, out var u) && u.AbsolutePath == "/" && !x.Contains('*', StringComparison.Ordinal)),
        "CardBridge:AllowedOrigins must be origins such as https://webmail.example.fr (no path, no wildcard).")
    .ValidateOnStart();
builder.Services.AddSingleton<CardService>();
var port = builder.Configuration.GetValue<int?>($"{BridgeOptions.SectionName}:{nameof(BridgeOptions.Port)}") ?? 17771;
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));

var app = builder.Build();
app.UseMiddleware<OriginPolicy>();
app.MapBridge();
app.Run();

/// <summary>Entry point; public so tests can host the bridge.</summary>
public partial class Program;

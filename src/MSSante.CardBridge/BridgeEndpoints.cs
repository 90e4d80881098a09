using System.Buffers;
using System.Text.Json;

namespace MSSante.CardBridge;

/// <summary>The bridge's whole API: status, certificates, sign. Nothing else is served.</summary>
public static class BridgeEndpoints
{
    private const int MaxBodyBytes = 16 * 1024;

    /// <summary>Maps <c>GET /v1/status</c>, <c>GET /v1/certificates?card=</c> and <c>POST /v1/sign</c>.</summary>
    public static WebApplication MapBridge(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v1/status", (CardService cards, CancellationToken ct) => cards.GetStatusAsync(ct));
        app.MapGet("/v1/certificates", async (string? card, CardService cards, CancellationToken ct) =>
            string.IsNullOrEmpty(card)
                ? Results.Json(new BridgeError("card_missing", "Carte non précisée."), statusCode: 400)
                : await Guard(async () => Results.Json(await cards.GetCertificatesAsync(card, ct).ConfigureAwait(false))).ConfigureAwait(false));
        app.MapPost("/v1/sign", (HttpContext context, CardService cards) => Guard(() => SignAsync(context, cards)));
        app.MapFallback(() => Results.Json(new BridgeError("not_found", "Ressource inconnue."), statusCode: 404));
        return app;
    }

    private static async Task<IResult> Guard(Func<Task<IResult>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (BridgeRefusal refusal)
        {
            return Results.Json(refusal.Error, statusCode: refusal.Status);
        }
    }

    /// <summary>
    /// Reads <c>{"card","certificateId","challenge","algorithm","pin"}</c> with a
    /// Utf8JsonReader so that the PIN goes from the request bytes to a byte array that the
    /// binding zeroes, never through a .NET string; the body buffer is cleared too.
    /// </summary>
    private static async Task<IResult> SignAsync(HttpContext context, CardService cards)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes);
        var length = 0;
        byte[] pin = [];
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer.AsMemory(length, MaxBodyBytes - length), context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                length += read;
                if (length >= MaxBodyBytes)
                {
                    return Results.Json(new BridgeError("too_large", "Requête trop volumineuse."), statusCode: 413);
                }
            }
            string? card = null, certificateId = null, challenge = null, algorithm = null;
            try
            {
                var reader = new Utf8JsonReader(buffer.AsSpan(0, length));
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new JsonException();
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    reader.Read();
                    if (name == "pin" && reader.TokenType == JsonTokenType.String)
                    {
                        pin = new byte[reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length];
                        var written = reader.CopyString(pin);
                        Array.Resize(ref pin, written);
                    }
                    else if (reader.TokenType == JsonTokenType.String)
                    {
                        var value = reader.GetString();
                        switch (name)
                        {
                            case "card": card = value; break;
                            case "certificateId": certificateId = value; break;
                            case "challenge": challenge = value; break;
                            case "algorithm": algorithm = value; break;
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            catch (JsonException)
            {
                return Results.Json(new BridgeError("bad_request", "Requête invalide."), statusCode: 400);
            }
            if (card is null || certificateId is null || challenge is null)
            {
                return Results.Json(new BridgeError("bad_request", "Requête incomplète."), statusCode: 400);
            }
            if (pin.Length is < 4 or > 8 || pin.Any(b => b is < (byte)'0' or > (byte)'9'))
            {
                return Results.Json(new BridgeError("pin_format", "Le code PIN doit comporter 4 à 8 chiffres.", cards.Pins.Remaining(card)), statusCode: 400);
            }
            byte[] challengeBytes;
            try
            {
                challengeBytes = Convert.FromBase64String(challenge);
                _ = Convert.FromHexString(certificateId);
            }
            catch (FormatException)
            {
                return Results.Json(new BridgeError("bad_request", "Requête invalide."), statusCode: 400);
            }
            var origin = context.Request.Headers.Origin.ToString();
            var result = await cards.SignAsync(card, certificateId, challengeBytes, pin, algorithm ?? "RS256", origin, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(result);
        }
        finally
        {
            Array.Clear(pin);
            Array.Clear(buffer, 0, Math.Min(buffer.Length, Math.Max(length, 0)));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MSSante.Pkcs11;

namespace MSSante.CardBridge;

/// <summary>A card as the status call describes it.</summary>
/// <param name="Card">The token's serial number: how the page names the card in later calls.</param>
/// <param name="Label">Token label.</param>
/// <param name="Manufacturer">Token manufacturer.</param>
/// <param name="PinLocked">The PIN is locked (by the card or by the bridge's count).</param>
/// <param name="RemainingTries">PIN tries left.</param>
public sealed record CardStatus(string Card, string Label, string Manufacturer, bool PinLocked, int RemainingTries);

/// <summary>The status answer.</summary>
/// <param name="Bridge">Always "mssante-card-bridge": lets the page recognise the bridge.</param>
/// <param name="Version">Bridge version.</param>
/// <param name="ModuleLoaded">The PKCS#11 module is loaded.</param>
/// <param name="ModuleError">Why it is not, in French.</param>
/// <param name="Cards">Cards present.</param>
public sealed record BridgeStatus(string Bridge, string Version, bool ModuleLoaded, string? ModuleError, IReadOnlyList<CardStatus> Cards);

/// <summary>A certificate on a card.</summary>
/// <param name="Id">CKA_ID in hexadecimal (links it to its key).</param>
/// <param name="Label">CKA_LABEL.</param>
/// <param name="Der">DER in base64.</param>
/// <param name="Subject">Subject, for display.</param>
/// <param name="NotAfter">Expiry, ISO 8601.</param>
public sealed record CardCertificate(string Id, string Label, string Der, string Subject, string NotAfter);

/// <summary>What a successful signature returns.</summary>
/// <param name="Signature">Base64 signature over the exact challenge bytes.</param>
/// <param name="Algorithm">"RS256" (PKCS#1 v1.5) or "PS256" (PSS), SHA-256 in both.</param>
/// <param name="Mechanism">The PKCS#11 mechanism used.</param>
/// <param name="Certificates">The signing certificate first, then other certificates of the card (base64 DER).</param>
public sealed record SignResult(string Signature, string Algorithm, string Mechanism, IReadOnlyList<string> Certificates);

/// <summary>A refusal with an HTTP status and a French message.</summary>
public sealed class BridgeRefusal(int status, BridgeError error) : Exception(error.Message)
{
    /// <summary>The HTTP status to answer.</summary>
    public int Status { get; } = status;

    /// <summary>The body to answer.</summary>
    public BridgeError Error { get; } = error;
}

/// <summary>
/// Everything the bridge does with the card, one call at a time (a card is a serial device and
/// a session's login state is shared). The module is loaded on first use and kept loaded.
/// </summary>
public sealed partial class CardService(IOptions<BridgeOptions> options, ILogger<CardService> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly BridgeOptions _options = options.Value;
    private Pkcs11Library? _library;
    private string? _loadError;

    /// <summary>The PIN counter.</summary>
    public PinGuard Pins { get; } = new(options.Value.MaxPinAttempts);

    private Pkcs11Library? Library()
    {
        if (_library is not null)
        {
            return _library;
        }
        try
        {
            _library = Pkcs11Library.Load(_options.EffectiveModulePath);
            _loadError = null;
            LogModuleLoaded(logger, _options.EffectiveModulePath);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or Pkcs11Exception)
        {
            _loadError = $"Le module de carte ({_options.EffectiveModulePath}) n'a pas pu être chargé. Vérifiez l'installation de la Cryptolib CPS.";
            LogModuleLoadFailed(logger, _options.EffectiveModulePath, ex.Message);
        }
        return _library;
    }

    /// <summary>The module and the cards present.</summary>
    public async Task<BridgeStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var lib = Library();
            var version = typeof(CardService).Assembly.GetName().Version?.ToString(3) ?? "0";
            if (lib is null)
            {
                return new BridgeStatus("mssante-card-bridge", version, false, _loadError, []);
            }
            if (_options.RescanByReinitialize)
            {
                lib.C_Finalize();
                lib.C_Initialize();
            }
            var cards = new List<CardStatus>();
            foreach (var (_, info) in PresentTokens(lib))
            {
                var remaining = Pins.Remaining(info.SerialNumber);
                if (info.PinLocked)
                {
                    remaining = 0;
                }
                else if (info.PinFinalTry)
                {
                    remaining = Math.Min(remaining, 1);
                }
                cards.Add(new CardStatus(info.SerialNumber, info.Label, info.ManufacturerId, remaining == 0, remaining));
            }
            return new BridgeStatus("mssante-card-bridge", version, true, null, cards);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The certificates of <paramref name="card"/> (no PIN needed: they are public objects).</summary>
    public async Task<IReadOnlyList<CardCertificate>> GetCertificatesAsync(string card, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var lib = RequireLibrary();
            var slot = FindSlot(lib, card);
            var session = lib.C_OpenSession(slot);
            try
            {
                return lib.ListCertificates(session).Select(Describe).ToList();
            }
            finally
            {
                lib.C_CloseSession(session);
            }
        }
        catch (Pkcs11Exception ex)
        {
            throw CardGone(ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Logs in with <paramref name="pin"/> (zeroed by the binding), signs the challenge with
    /// the key of certificate <paramref name="certificateId"/>, logs out. The challenge must
    /// be a webmail login challenge naming <paramref name="origin"/>.
    /// </summary>
    public async Task<SignResult> SignAsync(string card, string certificateId, byte[] challenge, byte[] pin, string algorithm, string origin, CancellationToken cancellationToken)
    {
        try
        {
            CheckChallenge(challenge, origin);
            if (algorithm is not ("RS256" or "PS256"))
            {
                throw new BridgeRefusal(400, new BridgeError("algorithm", "Algorithme de signature non pris en charge."));
            }
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return SignLocked(card, certificateId, challenge, pin, algorithm);
            }
            finally
            {
                _gate.Release();
            }
        }
        finally
        {
            Array.Clear(pin);
        }
    }

    private SignResult SignLocked(string card, string certificateId, byte[] challenge, byte[] pin, string algorithm)
    {
        var lib = RequireLibrary();
        ulong slot;
        try
        {
            slot = FindSlot(lib, card);
        }
        catch (Pkcs11Exception ex)
        {
            throw CardGone(ex);
        }
        var info = lib.C_GetTokenInfo(slot);
        if (Pins.Remaining(card) == 0 || info.PinLocked)
        {
            throw new BridgeRefusal(423, new BridgeError("pin_locked",
                "Le code PIN de la carte est bloqué. Débloquez-la avec le code de déblocage (PUK) ou contactez l'ANS.", 0));
        }
        ulong session;
        try
        {
            session = lib.C_OpenSession(slot);
        }
        catch (Pkcs11Exception ex)
        {
            throw CardGone(ex);
        }
        try
        {
            var certificates = lib.ListCertificates(session);
            var id = Convert.FromHexString(certificateId);
            var signer = certificates.FirstOrDefault(c => c.Id.AsSpan().SequenceEqual(id))
                ?? throw new BridgeRefusal(404, new BridgeError("certificate_not_found", "Certificat introuvable sur la carte."));
            try
            {
                lib.C_Login(session, CKU.USER, pin);
            }
            catch (Pkcs11Exception ex) when (ex.ReturnValue == CKR.PIN_INCORRECT)
            {
                var remaining = Pins.RecordFailure(card);
                LogWrongPin(logger, remaining);
                if (remaining == 0)
                {
                    throw new BridgeRefusal(423, new BridgeError("pin_locked",
                        "Code PIN incorrect. La carte est maintenant bloquée.", 0));
                }
                throw new BridgeRefusal(401, new BridgeError("pin_incorrect",
                    remaining == 1 ? "Code PIN incorrect. Attention : dernier essai avant blocage de la carte."
                        : $"Code PIN incorrect. Il vous reste {remaining} essais.", remaining));
            }
            catch (Pkcs11Exception ex) when (ex.ReturnValue == CKR.PIN_LOCKED)
            {
                Pins.RecordLocked(card);
                throw new BridgeRefusal(423, new BridgeError("pin_locked",
                    "Le code PIN de la carte est bloqué. Débloquez-la avec le code de déblocage (PUK) ou contactez l'ANS.", 0));
            }
            catch (Pkcs11Exception ex) when (ex.ReturnValue is CKR.PIN_LEN_RANGE or CKR.PIN_INVALID)
            {
                throw new BridgeRefusal(400, new BridgeError("pin_format", "Le code PIN doit comporter 4 à 8 chiffres.", Pins.Remaining(card)));
            }
            Pins.RecordSuccess(card);
            try
            {
                var key = lib.FindPrivateKey(session, signer.Id)
                    ?? throw new BridgeRefusal(404, new BridgeError("key_not_found", "Clé d'authentification introuvable sur la carte."));
                var mechanisms = lib.C_GetMechanismList(slot);
                var mechanism = algorithm == "PS256"
                    ? (mechanisms.Contains(CKM.SHA256_RSA_PKCS_PSS) ? SignatureMechanism.Sha256RsaPkcsPss : SignatureMechanism.RsaPkcsPss)
                    : (mechanisms.Contains(CKM.SHA256_RSA_PKCS) ? SignatureMechanism.Sha256RsaPkcs : SignatureMechanism.RsaPkcsWithDigestInfo);
                var signature = lib.Sign(session, key, mechanism, challenge);
                LogSigned(logger, mechanism.ToString());
                var chain = new List<string> { Convert.ToBase64String(signer.Der) };
                chain.AddRange(certificates.Where(c => c.Handle != signer.Handle).Select(c => Convert.ToBase64String(c.Der)));
                return new SignResult(Convert.ToBase64String(signature), algorithm, MechanismName(mechanism), chain);
            }
            finally
            {
                try
                {
                    lib.C_Logout(session);
                }
                catch (Pkcs11Exception)
                {
                    // The card may be gone; the session closes below anyway.
                }
            }
        }
        catch (Pkcs11Exception ex)
        {
            throw CardGone(ex);
        }
        finally
        {
            try
            {
                lib.C_CloseSession(session);
            }
            catch (Pkcs11Exception)
            {
                // Same: a removed card has no session to close.
            }
        }
    }

    private static string MechanismName(SignatureMechanism m) => m switch
    {
        SignatureMechanism.Sha256RsaPkcs => "CKM_SHA256_RSA_PKCS",
        SignatureMechanism.RsaPkcsWithDigestInfo => "CKM_RSA_PKCS",
        SignatureMechanism.Sha256RsaPkcsPss => "CKM_SHA256_RSA_PKCS_PSS",
        _ => "CKM_RSA_PKCS_PSS",
    };

    /// <summary>
    /// The bridge signs webmail login challenges only: a JSON object with
    /// <c>"typ":"mssante-card-login"</c> whose <c>origin</c> is the calling page's origin.
    /// </summary>
    private static void CheckChallenge(byte[] challenge, string origin)
    {
        try
        {
            using var doc = JsonDocument.Parse(challenge);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("typ", out var typ) || typ.GetString() != "mssante-card-login")
            {
                throw new BridgeRefusal(400, new BridgeError("challenge_invalid", "Le défi de connexion est invalide."));
            }
            if (!root.TryGetProperty("origin", out var o) || !string.Equals(o.GetString(), origin, StringComparison.Ordinal))
            {
                throw new BridgeRefusal(400, new BridgeError("challenge_origin",
                    "Le défi de connexion ne provient pas de ce site : signature refusée."));
            }
        }
        catch (JsonException)
        {
            throw new BridgeRefusal(400, new BridgeError("challenge_invalid", "Le défi de connexion est invalide."));
        }
    }

    private Pkcs11Library RequireLibrary() =>
        Library() ?? throw new BridgeRefusal(503, new BridgeError("module_unavailable", _loadError ?? "Module de carte indisponible."));

    private static IEnumerable<(ulong Slot, CK_TOKEN_INFO Info)> PresentTokens(Pkcs11Library lib)
    {
        foreach (var slot in lib.C_GetSlotList(tokenPresent: true))
        {
            CK_TOKEN_INFO info;
            try
            {
                info = lib.C_GetTokenInfo(slot);
            }
            catch (Pkcs11Exception)
            {
                continue; // removed between the two calls
            }
            if ((info.Flags & CKF.TOKEN_INITIALIZED) != 0)
            {
                yield return (slot, info);
            }
        }
    }

    private static ulong FindSlot(Pkcs11Library lib, string card)
    {
        foreach (var (slot, info) in PresentTokens(lib))
        {
            if (info.SerialNumber == card)
            {
                return slot;
            }
        }
        throw new BridgeRefusal(404, new BridgeError("no_card", "Aucune carte CPS n'est insérée dans le lecteur (ou elle a été retirée)."));
    }

    private BridgeRefusal CardGone(Pkcs11Exception ex)
    {
        LogCardError(logger, ex.Function, ex.ReturnValueName);
        return ex.ReturnValue is CKR.TOKEN_NOT_PRESENT or CKR.DEVICE_REMOVED or CKR.SESSION_HANDLE_INVALID or CKR.SESSION_CLOSED
            or CKR.SLOT_ID_INVALID or CKR.GENERAL_ERROR or CKR.DEVICE_ERROR
            ? new BridgeRefusal(404, new BridgeError("no_card", "La carte a été retirée pendant l'opération. Réinsérez-la et recommencez."))
            : new BridgeRefusal(500, new BridgeError("card_error", $"La carte a refusé l'opération ({ex.ReturnValueName})."));
    }

    private static CardCertificate Describe(TokenCertificate c)
    {
        using var x = X509CertificateLoader.LoadCertificate(c.Der);
        return new CardCertificate(Convert.ToHexString(c.Id), c.Label, Convert.ToBase64String(c.Der), x.Subject,
            x.NotAfter.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _library?.Dispose();
        _gate.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "PKCS#11 module loaded: {Module}")]
    private static partial void LogModuleLoaded(ILogger logger, string module);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "PKCS#11 module {Module} could not be loaded: {Reason}")]
    private static partial void LogModuleLoadFailed(ILogger logger, string module, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Wrong PIN; {Remaining} tries left")]
    private static partial void LogWrongPin(ILogger logger, int remaining);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Login challenge signed with {Mechanism}")]
    private static partial void LogSigned(ILogger logger, string mechanism);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Card call {Function} failed: {Rv}")]
    private static partial void LogCardError(ILogger logger, string function, string rv);
}

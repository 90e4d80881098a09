using System.ComponentModel.DataAnnotations;

namespace MSSante.CardBridge;

/// <summary>Settings of section <c>CardBridge</c> (appsettings.json, environment <c>CardBridge__*</c>).</summary>
public sealed class BridgeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CardBridge";

    /// <summary>
    /// The PKCS#11 module. Empty means the CryptoLib CPS module of this operating system
    /// (see <see cref="DefaultModulePath"/>); OpenSC (<c>opensc-pkcs11.so</c>) and SoftHSM2 work too.
    /// </summary>
    public string? ModulePath { get; set; }

    /// <summary>TCP port on 127.0.0.1 (the bridge never listens elsewhere).</summary>
    [Range(1024, 65535)]
    public int Port { get; set; } = 17771;

    /// <summary>
    /// Webmail origins allowed to call the bridge, exactly as browsers send them
    /// (<c>https://webmail.example.fr</c>, no path, no trailing slash). No wildcard.
    /// </summary>
    [MinLength(1)]
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>
    /// Wrong PINs in a row after which the bridge refuses to try again, like a CPS card (3).
    /// The card keeps its own counter; this one also protects tokens that never lock (SoftHSM2).
    /// </summary>
    [Range(1, 10)]
    public int MaxPinAttempts { get; set; } = 3;

    /// <summary>
    /// Reinitialise the module before listing cards, for modules that only see new tokens at
    /// C_Initialize (SoftHSM2). Real readers report insertions by themselves.
    /// </summary>
    public bool RescanByReinitialize { get; set; }

    /// <summary>The CryptoLib CPS module's usual name on this operating system.</summary>
    public static string DefaultModulePath =>
        OperatingSystem.IsWindows() ? "cps3_pkcs11_w64.dll"
        : OperatingSystem.IsMacOS() ? "/usr/local/lib/libcps3_pkcs11_osx.dylib"
        : "/opt/santesocial/CPS/lib/libcps3_pkcs11_lux.so";

    /// <summary>The module to load.</summary>
    public string EffectiveModulePath => string.IsNullOrWhiteSpace(ModulePath) ? DefaultModulePath : ModulePath;
}

// Constant values from the PKCS #11 v2.40 base specification (pkcs11t.h). The class names keep
// the specification's prefixes so code reads like the standard.
#pragma warning disable CA1707 // Identifiers keep the specification's underscores on purpose.

namespace MSSante.Pkcs11;

/// <summary>Return values (CK_RV), PKCS #11 v2.40 §3.6 and §5.1.</summary>
public static class CKR
{
    /// <summary>The function succeeded.</summary>
    public const ulong OK = 0x000;
    /// <summary>The application's callback asked to cancel.</summary>
    public const ulong CANCEL = 0x001;
    /// <summary>Memory allocation failed in the module.</summary>
    public const ulong HOST_MEMORY = 0x002;
    /// <summary>The slot id does not exist.</summary>
    public const ulong SLOT_ID_INVALID = 0x003;
    /// <summary>An unrecoverable error happened in the module.</summary>
    public const ulong GENERAL_ERROR = 0x005;
    /// <summary>The function failed.</summary>
    public const ulong FUNCTION_FAILED = 0x006;
    /// <summary>Arguments were inconsistent.</summary>
    public const ulong ARGUMENTS_BAD = 0x007;
    /// <summary>C_WaitForSlotEvent with CKF_DONT_BLOCK found nothing.</summary>
    public const ulong NO_EVENT = 0x008;
    /// <summary>The library cannot create threads.</summary>
    public const ulong NEED_TO_CREATE_THREADS = 0x009;
    /// <summary>The requested locking model is not available.</summary>
    public const ulong CANT_LOCK = 0x00A;
    /// <summary>The attribute cannot be read (sensitive or unextractable).</summary>
    public const ulong ATTRIBUTE_SENSITIVE = 0x011;
    /// <summary>The attribute type is not valid for the object.</summary>
    public const ulong ATTRIBUTE_TYPE_INVALID = 0x012;
    /// <summary>The attribute value is invalid.</summary>
    public const ulong ATTRIBUTE_VALUE_INVALID = 0x013;
    /// <summary>The input data is invalid.</summary>
    public const ulong DATA_INVALID = 0x020;
    /// <summary>The input data length is invalid for the mechanism.</summary>
    public const ulong DATA_LEN_RANGE = 0x021;
    /// <summary>The device had an error.</summary>
    public const ulong DEVICE_ERROR = 0x030;
    /// <summary>The device has not enough memory.</summary>
    public const ulong DEVICE_MEMORY = 0x031;
    /// <summary>The token was removed during the call.</summary>
    public const ulong DEVICE_REMOVED = 0x032;
    /// <summary>The function was cancelled.</summary>
    public const ulong FUNCTION_CANCELED = 0x050;
    /// <summary>The function is not supported by the module.</summary>
    public const ulong FUNCTION_NOT_SUPPORTED = 0x054;
    /// <summary>The key handle is invalid.</summary>
    public const ulong KEY_HANDLE_INVALID = 0x060;
    /// <summary>The key type does not fit the mechanism.</summary>
    public const ulong KEY_TYPE_INCONSISTENT = 0x063;
    /// <summary>The key may not be used for this operation.</summary>
    public const ulong KEY_FUNCTION_NOT_PERMITTED = 0x068;
    /// <summary>The mechanism is invalid for the token.</summary>
    public const ulong MECHANISM_INVALID = 0x070;
    /// <summary>The mechanism parameters are invalid.</summary>
    public const ulong MECHANISM_PARAM_INVALID = 0x071;
    /// <summary>The object handle is invalid.</summary>
    public const ulong OBJECT_HANDLE_INVALID = 0x082;
    /// <summary>An operation is already active in the session.</summary>
    public const ulong OPERATION_ACTIVE = 0x090;
    /// <summary>No operation is active in the session.</summary>
    public const ulong OPERATION_NOT_INITIALIZED = 0x091;
    /// <summary>The PIN is wrong.</summary>
    public const ulong PIN_INCORRECT = 0x0A0;
    /// <summary>The PIN has invalid characters.</summary>
    public const ulong PIN_INVALID = 0x0A1;
    /// <summary>The PIN is too long or too short.</summary>
    public const ulong PIN_LEN_RANGE = 0x0A2;
    /// <summary>The PIN has expired.</summary>
    public const ulong PIN_EXPIRED = 0x0A3;
    /// <summary>The PIN is locked: too many wrong attempts.</summary>
    public const ulong PIN_LOCKED = 0x0A4;
    /// <summary>The session was closed during the call.</summary>
    public const ulong SESSION_CLOSED = 0x0B0;
    /// <summary>The session handle is invalid.</summary>
    public const ulong SESSION_HANDLE_INVALID = 0x0B3;
    /// <summary>Serial sessions are not supported.</summary>
    public const ulong SESSION_PARALLEL_NOT_SUPPORTED = 0x0B4;
    /// <summary>The signature is invalid.</summary>
    public const ulong SIGNATURE_INVALID = 0x0C0;
    /// <summary>The signature has an invalid length.</summary>
    public const ulong SIGNATURE_LEN_RANGE = 0x0C1;
    /// <summary>The template is incomplete.</summary>
    public const ulong TEMPLATE_INCOMPLETE = 0x0D0;
    /// <summary>The template is inconsistent.</summary>
    public const ulong TEMPLATE_INCONSISTENT = 0x0D1;
    /// <summary>No token is present in the slot.</summary>
    public const ulong TOKEN_NOT_PRESENT = 0x0E0;
    /// <summary>The token is not recognised.</summary>
    public const ulong TOKEN_NOT_RECOGNIZED = 0x0E1;
    /// <summary>The user is already logged in.</summary>
    public const ulong USER_ALREADY_LOGGED_IN = 0x100;
    /// <summary>The user is not logged in.</summary>
    public const ulong USER_NOT_LOGGED_IN = 0x101;
    /// <summary>The user PIN has not been initialised.</summary>
    public const ulong USER_PIN_NOT_INITIALIZED = 0x102;
    /// <summary>The user type is invalid.</summary>
    public const ulong USER_TYPE_INVALID = 0x103;
    /// <summary>Another user is logged in.</summary>
    public const ulong USER_ANOTHER_ALREADY_LOGGED_IN = 0x104;
    /// <summary>The output buffer is too small.</summary>
    public const ulong BUFFER_TOO_SMALL = 0x150;
    /// <summary>C_Initialize has not been called.</summary>
    public const ulong CRYPTOKI_NOT_INITIALIZED = 0x190;
    /// <summary>C_Initialize was already called.</summary>
    public const ulong CRYPTOKI_ALREADY_INITIALIZED = 0x191;

    /// <summary>The specification's name of a return value, e.g. "CKR_PIN_INCORRECT".</summary>
    public static string Name(ulong rv)
    {
        foreach (var field in typeof(CKR).GetFields())
        {
            if (field.IsLiteral && field.FieldType == typeof(ulong) && (ulong)field.GetRawConstantValue()! == rv)
            {
                return "CKR_" + field.Name;
            }
        }
        return "CKR_0x" + rv.ToString("X8", System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>Flags of CK_INFO, CK_SLOT_INFO, CK_TOKEN_INFO, sessions and C_Initialize.</summary>
public static class CKF
{
    /// <summary>CK_SLOT_INFO: a token is present.</summary>
    public const ulong TOKEN_PRESENT = 0x1;
    /// <summary>CK_SLOT_INFO: the reader supports removable devices.</summary>
    public const ulong REMOVABLE_DEVICE = 0x2;
    /// <summary>CK_SLOT_INFO: the slot is a hardware slot.</summary>
    public const ulong HW_SLOT = 0x4;
    /// <summary>CK_TOKEN_INFO: the token has a random generator.</summary>
    public const ulong RNG = 0x1;
    /// <summary>CK_TOKEN_INFO: the token is write protected.</summary>
    public const ulong WRITE_PROTECTED = 0x2;
    /// <summary>CK_TOKEN_INFO: a login is required for private objects.</summary>
    public const ulong LOGIN_REQUIRED = 0x4;
    /// <summary>CK_TOKEN_INFO: the user PIN is initialised.</summary>
    public const ulong USER_PIN_INITIALIZED = 0x8;
    /// <summary>CK_TOKEN_INFO: the PIN is typed on a pinpad (no PIN passed to C_Login).</summary>
    public const ulong PROTECTED_AUTHENTICATION_PATH = 0x100;
    /// <summary>CK_TOKEN_INFO: the token is initialised.</summary>
    public const ulong TOKEN_INITIALIZED = 0x400;
    /// <summary>CK_TOKEN_INFO: at least one wrong user PIN since the last success.</summary>
    public const ulong USER_PIN_COUNT_LOW = 0x10000;
    /// <summary>CK_TOKEN_INFO: one more wrong user PIN locks the card.</summary>
    public const ulong USER_PIN_FINAL_TRY = 0x20000;
    /// <summary>CK_TOKEN_INFO: the user PIN is locked.</summary>
    public const ulong USER_PIN_LOCKED = 0x40000;
    /// <summary>CK_TOKEN_INFO: the user PIN must be changed.</summary>
    public const ulong USER_PIN_TO_BE_CHANGED = 0x80000;
    /// <summary>C_OpenSession: read/write session.</summary>
    public const ulong RW_SESSION = 0x2;
    /// <summary>C_OpenSession: must always be set.</summary>
    public const ulong SERIAL_SESSION = 0x4;
    /// <summary>CK_C_INITIALIZE_ARGS: the module may use the OS's locking primitives.</summary>
    public const ulong OS_LOCKING_OK = 0x2;
    /// <summary>C_WaitForSlotEvent: do not block.</summary>
    public const ulong DONT_BLOCK = 0x1;
}

/// <summary>User types for C_Login.</summary>
public static class CKU
{
    /// <summary>Security officer.</summary>
    public const ulong SO = 0;
    /// <summary>Normal user (the card holder).</summary>
    public const ulong USER = 1;
}

/// <summary>Object classes.</summary>
public static class CKO
{
    /// <summary>A data object.</summary>
    public const ulong DATA = 0;
    /// <summary>A certificate.</summary>
    public const ulong CERTIFICATE = 1;
    /// <summary>A public key.</summary>
    public const ulong PUBLIC_KEY = 2;
    /// <summary>A private key.</summary>
    public const ulong PRIVATE_KEY = 3;
}

/// <summary>Key types.</summary>
public static class CKK
{
    /// <summary>RSA.</summary>
    public const ulong RSA = 0;
    /// <summary>Elliptic curve.</summary>
    public const ulong EC = 3;
}

/// <summary>Certificate types.</summary>
public static class CKC
{
    /// <summary>X.509 public key certificate.</summary>
    public const ulong X_509 = 0;
}

/// <summary>Attribute types.</summary>
public static class CKA
{
    /// <summary>Object class.</summary>
    public const ulong CLASS = 0x000;
    /// <summary>Token object (not session).</summary>
    public const ulong TOKEN = 0x001;
    /// <summary>Private object.</summary>
    public const ulong PRIVATE = 0x002;
    /// <summary>Label.</summary>
    public const ulong LABEL = 0x003;
    /// <summary>Value (DER of a certificate).</summary>
    public const ulong VALUE = 0x011;
    /// <summary>Certificate type.</summary>
    public const ulong CERTIFICATE_TYPE = 0x080;
    /// <summary>DER of the certificate's issuer.</summary>
    public const ulong ISSUER = 0x081;
    /// <summary>DER of the certificate's serial number.</summary>
    public const ulong SERIAL_NUMBER = 0x082;
    /// <summary>Key type.</summary>
    public const ulong KEY_TYPE = 0x100;
    /// <summary>DER of the subject.</summary>
    public const ulong SUBJECT = 0x101;
    /// <summary>Identifier linking a certificate to its key pair.</summary>
    public const ulong ID = 0x102;
    /// <summary>The key may not be revealed.</summary>
    public const ulong SENSITIVE = 0x103;
    /// <summary>The key can decrypt.</summary>
    public const ulong DECRYPT = 0x105;
    /// <summary>The key can sign.</summary>
    public const ulong SIGN = 0x108;
    /// <summary>RSA modulus.</summary>
    public const ulong MODULUS = 0x120;
    /// <summary>RSA modulus length in bits.</summary>
    public const ulong MODULUS_BITS = 0x121;
    /// <summary>RSA public exponent.</summary>
    public const ulong PUBLIC_EXPONENT = 0x122;
    /// <summary>The key can be extracted (wrapped).</summary>
    public const ulong EXTRACTABLE = 0x162;
    /// <summary>The key must be re-authenticated before each use.</summary>
    public const ulong ALWAYS_AUTHENTICATE = 0x202;
}

/// <summary>Mechanism types, PKCS #11 v2.40 "Current Mechanisms" §2.1.</summary>
public static class CKM
{
    /// <summary>Raw RSA PKCS #1 v1.5: the caller supplies the DigestInfo.</summary>
    public const ulong RSA_PKCS = 0x0001;
    /// <summary>RSA-PSS over a hash computed by the caller.</summary>
    public const ulong RSA_PKCS_PSS = 0x000D;
    /// <summary>SHA-256 then RSA PKCS #1 v1.5 on the token.</summary>
    public const ulong SHA256_RSA_PKCS = 0x0040;
    /// <summary>SHA-256 then RSA-PSS on the token.</summary>
    public const ulong SHA256_RSA_PKCS_PSS = 0x0043;
    /// <summary>SHA-256 digest.</summary>
    public const ulong SHA256 = 0x0250;
}

/// <summary>Mask generation functions for RSA-PSS.</summary>
public static class CKG
{
    /// <summary>MGF1 with SHA-256.</summary>
    public const ulong MGF1_SHA256 = 0x2;
}

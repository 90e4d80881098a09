namespace MSSante.Pkcs11;

/// <summary>
/// A PKCS #11 function returned something other than CKR_OK. Carries the function's name and
/// the return value so that callers can react (wrong PIN, card removed) and logs say exactly
/// which call failed.
/// </summary>
public sealed class Pkcs11Exception : Exception
{
    /// <summary>Creates the exception for <paramref name="function"/> returning <paramref name="returnValue"/>.</summary>
    public Pkcs11Exception(string function, ulong returnValue)
        : base($"{function} returned {CKR.Name(returnValue)}")
    {
        Function = function;
        ReturnValue = returnValue;
    }

    /// <summary>Not for use: an exception always names the function and the CKR.</summary>
    public Pkcs11Exception() : this("unknown", CKR.GENERAL_ERROR) { }

    /// <summary>Not for use: an exception always names the function and the CKR.</summary>
    public Pkcs11Exception(string message) : base(message)
    {
        Function = "unknown";
        ReturnValue = CKR.GENERAL_ERROR;
    }

    /// <summary>Not for use: an exception always names the function and the CKR.</summary>
    public Pkcs11Exception(string message, Exception innerException) : base(message, innerException)
    {
        Function = "unknown";
        ReturnValue = CKR.GENERAL_ERROR;
    }

    /// <summary>The PKCS #11 function, e.g. "C_Login".</summary>
    public string Function { get; }

    /// <summary>The CK_RV the function returned.</summary>
    public ulong ReturnValue { get; }

    /// <summary>The specification's name of <see cref="ReturnValue"/>.</summary>
    public string ReturnValueName => CKR.Name(ReturnValue);
}

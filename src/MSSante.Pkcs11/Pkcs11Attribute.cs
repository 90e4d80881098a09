using System.Text;

namespace MSSante.Pkcs11;

/// <summary>
/// One CK_ATTRIBUTE of a search template: a type and the bytes of its value, already in the
/// module's native representation (CK_ULONG width, CK_BBOOL as one byte).
/// </summary>
public sealed class Pkcs11Attribute
{
    private Pkcs11Attribute(ulong type, byte[] value)
    {
        Type = type;
        Value = value;
    }

    /// <summary>The CKA_ type.</summary>
    public ulong Type { get; }

    /// <summary>The value bytes passed to the module.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>A CK_ULONG-valued attribute such as CKA_CLASS or CKA_KEY_TYPE.</summary>
    public static Pkcs11Attribute Ulong(ulong type, ulong value)
    {
        var bytes = new byte[NativeLayout.Current.UlongSize];
        if (bytes.Length == 8)
        {
            BitConverter.TryWriteBytes(bytes, value);
        }
        else
        {
            BitConverter.TryWriteBytes(bytes, checked((uint)value));
        }
        return new Pkcs11Attribute(type, bytes);
    }

    /// <summary>A CK_BBOOL-valued attribute such as CKA_TOKEN or CKA_SIGN.</summary>
    public static Pkcs11Attribute Bool(ulong type, bool value) => new(type, [value ? (byte)1 : (byte)0]);

    /// <summary>A byte-string attribute such as CKA_ID.</summary>
    public static Pkcs11Attribute Bytes(ulong type, ReadOnlySpan<byte> value) => new(type, value.ToArray());

    /// <summary>A UTF-8 string attribute such as CKA_LABEL.</summary>
    public static Pkcs11Attribute Utf8(ulong type, string value) => new(type, Encoding.UTF8.GetBytes(value));
}

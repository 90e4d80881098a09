using System.Text;

#pragma warning disable CA1707 // Type names keep the specification's spelling on purpose.

namespace MSSante.Pkcs11;

/// <summary>CK_VERSION: major and minor version numbers.</summary>
/// <param name="Major">Major version.</param>
/// <param name="Minor">Minor version.</param>
public readonly record struct CK_VERSION(byte Major, byte Minor)
{
    /// <inheritdoc />
    public override string ToString() => $"{Major}.{Minor}";
}

/// <summary>CK_INFO: general information about the module (C_GetInfo).</summary>
public sealed record CK_INFO(CK_VERSION CryptokiVersion, string ManufacturerId, ulong Flags, string LibraryDescription, CK_VERSION LibraryVersion);

/// <summary>CK_SLOT_INFO: information about a slot (C_GetSlotInfo).</summary>
public sealed record CK_SLOT_INFO(string SlotDescription, string ManufacturerId, ulong Flags, CK_VERSION HardwareVersion, CK_VERSION FirmwareVersion)
{
    /// <summary>A token (card) is in the slot.</summary>
    public bool TokenPresent => (Flags & CKF.TOKEN_PRESENT) != 0;
}

/// <summary>CK_TOKEN_INFO: information about a token (C_GetTokenInfo).</summary>
public sealed record CK_TOKEN_INFO(
    string Label,
    string ManufacturerId,
    string Model,
    string SerialNumber,
    ulong Flags,
    ulong MaxPinLen,
    ulong MinPinLen,
    CK_VERSION HardwareVersion,
    CK_VERSION FirmwareVersion)
{
    /// <summary>At least one wrong PIN was typed since the last correct one.</summary>
    public bool PinCountLow => (Flags & CKF.USER_PIN_COUNT_LOW) != 0;

    /// <summary>The next wrong PIN locks the card.</summary>
    public bool PinFinalTry => (Flags & CKF.USER_PIN_FINAL_TRY) != 0;

    /// <summary>The PIN is locked.</summary>
    public bool PinLocked => (Flags & CKF.USER_PIN_LOCKED) != 0;

    /// <summary>The PIN is typed on the reader's pinpad, not passed by the application.</summary>
    public bool ProtectedAuthenticationPath => (Flags & CKF.PROTECTED_AUTHENTICATION_PATH) != 0;
}

/// <summary>Reads a native structure field by field, applying the module's alignment rules.</summary>
internal unsafe ref struct StructReader
{
    private readonly byte* _base;
    private readonly NativeLayout _layout;
    private int _offset;

    public StructReader(byte* @base, NativeLayout layout)
    {
        _base = @base;
        _layout = layout;
        _offset = 0;
    }

    /// <summary>Fixed-length, blank-padded UTF-8 field (PKCS #11 §3.2 "CK_UTF8CHAR" arrays).</summary>
    public string Utf8(int length)
    {
        var s = Encoding.UTF8.GetString(new ReadOnlySpan<byte>(_base + _offset, length));
        _offset += length;
        return s.TrimEnd(' ', '\0');
    }

    public CK_VERSION Version()
    {
        var v = new CK_VERSION(_base[_offset], _base[_offset + 1]);
        _offset += 2;
        return v;
    }

    public ulong Ulong()
    {
        _offset = _layout.Align(_offset, _layout.UlongSize);
        var v = _layout.ReadUlong(_base + _offset);
        _offset += _layout.UlongSize;
        return v;
    }
}

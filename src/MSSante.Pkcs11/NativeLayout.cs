using System.Runtime.InteropServices;

namespace MSSante.Pkcs11;

/// <summary>
/// How the module lays out CK_ULONG and structures. pkcs11.h leaves CK_ULONG as the platform's
/// <c>unsigned long</c>: 64-bit on Linux and macOS (LP64), 32-bit on Windows (LLP64), and
/// Windows modules are built with 1-byte structure packing while Unix modules use natural
/// alignment. Structures are therefore read and written by computed offsets, never by a
/// fixed C# layout.
/// </summary>
internal readonly struct NativeLayout
{
    private NativeLayout(int ulongSize, bool packed)
    {
        UlongSize = ulongSize;
        Packed = packed;
    }

    public static NativeLayout Current { get; } = OperatingSystem.IsWindows()
        ? new NativeLayout(4, packed: true)
        : new NativeLayout(IntPtr.Size, packed: false);

    /// <summary>Size in bytes of CK_ULONG.</summary>
    public int UlongSize { get; }

    /// <summary>True when structures are packed to 1 byte (Windows).</summary>
    public bool Packed { get; }

    /// <summary>Offset of the first function pointer in CK_FUNCTION_LIST (after CK_VERSION).</summary>
    public int FunctionListFirstOffset => Packed ? 2 : IntPtr.Size;

    public int Align(int offset, int fieldSize) => Packed ? offset : (offset + fieldSize - 1) / fieldSize * fieldSize;

    public unsafe ulong ReadUlong(byte* p) => UlongSize == 8 ? *(ulong*)p : *(uint*)p;

    public unsafe void WriteUlong(byte* p, ulong value)
    {
        if (UlongSize == 8)
        {
            *(ulong*)p = value;
        }
        else
        {
            *(uint*)p = checked((uint)value);
        }
    }

    /// <summary>Size of CK_ATTRIBUTE { type, pValue, ulValueLen }.</summary>
    public int AttributeSize => Packed ? UlongSize + IntPtr.Size + UlongSize : Align(Align(UlongSize, IntPtr.Size) + IntPtr.Size + UlongSize, IntPtr.Size);

    public int AttributeValuePointerOffset => Align(UlongSize, IntPtr.Size);

    public int AttributeLengthOffset => AttributeValuePointerOffset + IntPtr.Size;

    public static unsafe byte* Alloc(int size)
    {
        var p = (byte*)NativeMemory.AllocZeroed((nuint)Math.Max(size, 1));
        return p;
    }
}

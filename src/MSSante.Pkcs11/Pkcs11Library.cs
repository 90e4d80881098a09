using System.Runtime.InteropServices;

namespace MSSante.Pkcs11;

/// <summary>
/// A PKCS #11 module loaded from a path (CryptoLib CPS, OpenSC, SoftHSM2) and reached through
/// its C_GetFunctionList table. Methods keep the specification's names and signatures as far
/// as C# allows: handles are <see cref="ulong"/>, buffers are arrays, and every return value
/// other than CKR_OK becomes a <see cref="Pkcs11Exception"/> naming the function.
/// Calls are synchronous: they are blocking calls into a native library, and callers that
/// must not block (the bridge's request handlers) serialise them on their own.
/// </summary>
public sealed unsafe partial class Pkcs11Library : IDisposable
{
    // Indexes in CK_FUNCTION_LIST (PKCS #11 v2.40 §5.16 order, after the CK_VERSION).
    private const int IdxInitialize = 0, IdxFinalize = 1, IdxGetInfo = 2, IdxGetSlotList = 4, IdxGetSlotInfo = 5,
        IdxGetTokenInfo = 6, IdxGetMechanismList = 7, IdxOpenSession = 12, IdxCloseSession = 13,
        IdxCloseAllSessions = 14, IdxLogin = 18, IdxLogout = 19, IdxGetAttributeValue = 24,
        IdxFindObjectsInit = 26, IdxFindObjects = 27, IdxFindObjectsFinal = 28, IdxSignInit = 42, IdxSign = 43,
        IdxWaitForSlotEvent = 67;

    /// <summary>Number of function pointers in a v2.x CK_FUNCTION_LIST.</summary>
    public const int FunctionCount = 68;

    private readonly NativeLayout _layout = NativeLayout.Current;
    private readonly IntPtr _libraryHandle;
    private readonly byte* _functionList;
    private bool _ownsInitialization;
    private bool _disposed;

    private Pkcs11Library(IntPtr libraryHandle, IntPtr functionList, string modulePath)
    {
        _libraryHandle = libraryHandle;
        _functionList = (byte*)functionList;
        ModulePath = modulePath;
    }

    /// <summary>The path the module was loaded from.</summary>
    public string ModulePath { get; }

    /// <summary>
    /// Loads the module at <paramref name="modulePath"/>, fetches its function list and calls
    /// C_Initialize with CKF_OS_LOCKING_OK (the module may be called from several threads).
    /// </summary>
    public static Pkcs11Library Load(string modulePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modulePath);
        var handle = NativeLibrary.Load(modulePath);
        try
        {
            var getFunctionList = (delegate* unmanaged<IntPtr*, nuint>)NativeLibrary.GetExport(handle, "C_GetFunctionList");
            IntPtr list;
            var rv = Rv(getFunctionList(&list));
            if (rv != CKR.OK)
            {
                throw new Pkcs11Exception("C_GetFunctionList", rv);
            }
            var library = new Pkcs11Library(handle, list, modulePath);
            library.C_Initialize();
            return library;
        }
        catch
        {
            NativeLibrary.Free(handle);
            throw;
        }
    }

    /// <summary>
    /// Wraps a function list that is already in memory (a module linked by other means, or a
    /// test double that forwards to a real module). The caller keeps it alive.
    /// </summary>
    public static Pkcs11Library FromFunctionList(IntPtr functionList, string description)
    {
        var library = new Pkcs11Library(IntPtr.Zero, functionList, description);
        library.C_Initialize();
        return library;
    }

    /// <summary>The raw CK_FUNCTION_LIST pointer, for building forwarding tables.</summary>
    public IntPtr FunctionList => (IntPtr)_functionList;

    private static ulong Rv(nuint rv) => OperatingSystem.IsWindows() ? (uint)rv : rv;

    private IntPtr Fn(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var fn = *(IntPtr*)(_functionList + _layout.FunctionListFirstOffset + (index * IntPtr.Size));
        if (fn == IntPtr.Zero)
        {
            throw new Pkcs11Exception(FunctionName(index), CKR.FUNCTION_NOT_SUPPORTED);
        }
        return fn;
    }

    private static string FunctionName(int index) => index switch
    {
        IdxInitialize => "C_Initialize",
        IdxFinalize => "C_Finalize",
        IdxWaitForSlotEvent => "C_WaitForSlotEvent",
        _ => "C_function#" + index,
    };

    private static void Check(string function, nuint rv)
    {
        var value = Rv(rv);
        if (value != CKR.OK)
        {
            throw new Pkcs11Exception(function, value);
        }
    }

    /// <summary>C_Initialize with CK_C_INITIALIZE_ARGS { flags = CKF_OS_LOCKING_OK }.</summary>
    public void C_Initialize()
    {
        // CK_C_INITIALIZE_ARGS: four mutex callbacks (null), flags, pReserved.
        var flagsOffset = 4 * IntPtr.Size;
        var size = _layout.Align(flagsOffset + _layout.UlongSize, IntPtr.Size) + IntPtr.Size;
        var args = stackalloc byte[size + 8];
        new Span<byte>(args, size + 8).Clear();
        _layout.WriteUlong(args + flagsOffset, CKF.OS_LOCKING_OK);
        var rv = Rv(((delegate* unmanaged<void*, nuint>)Fn(IdxInitialize))(args));
        if (rv == CKR.CRYPTOKI_ALREADY_INITIALIZED)
        {
            // Another owner in this process initialised the module; it will finalise it.
            _ownsInitialization = false;
            return;
        }
        if (rv != CKR.OK)
        {
            throw new Pkcs11Exception("C_Initialize", rv);
        }
        _ownsInitialization = true;
    }

    /// <summary>C_Finalize: the module releases its resources; sessions are gone.</summary>
    public void C_Finalize()
    {
        Check("C_Finalize", ((delegate* unmanaged<void*, nuint>)Fn(IdxFinalize))(null));
        _ownsInitialization = false;
    }

    /// <summary>C_GetInfo.</summary>
    public CK_INFO C_GetInfo()
    {
        var buffer = stackalloc byte[256];
        new Span<byte>(buffer, 256).Clear();
        Check("C_GetInfo", ((delegate* unmanaged<byte*, nuint>)Fn(IdxGetInfo))(buffer));
        var r = new StructReader(buffer, _layout);
        var version = r.Version();
        var manufacturer = r.Utf8(32);
        var flags = r.Ulong();
        var description = r.Utf8(32);
        return new CK_INFO(version, manufacturer, flags, description, r.Version());
    }

    /// <summary>C_GetSlotList: slots, or only those holding a token.</summary>
    public ulong[] C_GetSlotList(bool tokenPresent)
    {
        var fn = (delegate* unmanaged<byte, byte*, byte*, nuint>)Fn(IdxGetSlotList);
        var count = stackalloc byte[8];
        for (var attempt = 0; ; attempt++)
        {
            *(ulong*)count = 0;
            Check("C_GetSlotList", fn(tokenPresent ? (byte)1 : (byte)0, null, count));
            var n = (int)_layout.ReadUlong(count);
            if (n == 0)
            {
                return [];
            }
            var slots = NativeLayout.Alloc(n * _layout.UlongSize);
            try
            {
                var rv = Rv(fn(tokenPresent ? (byte)1 : (byte)0, slots, count));
                if (rv == CKR.BUFFER_TOO_SMALL && attempt < 3)
                {
                    continue; // a reader appeared between the two calls
                }
                if (rv != CKR.OK)
                {
                    throw new Pkcs11Exception("C_GetSlotList", rv);
                }
                n = (int)_layout.ReadUlong(count);
                var result = new ulong[n];
                for (var i = 0; i < n; i++)
                {
                    result[i] = _layout.ReadUlong(slots + (i * _layout.UlongSize));
                }
                return result;
            }
            finally
            {
                NativeMemory.Free(slots);
            }
        }
    }

    /// <summary>C_GetSlotInfo.</summary>
    public CK_SLOT_INFO C_GetSlotInfo(ulong slotId)
    {
        var buffer = stackalloc byte[256];
        new Span<byte>(buffer, 256).Clear();
        Check("C_GetSlotInfo", ((delegate* unmanaged<nuint, byte*, nuint>)Fn(IdxGetSlotInfo))((nuint)slotId, buffer));
        var r = new StructReader(buffer, _layout);
        var description = r.Utf8(64);
        var manufacturer = r.Utf8(32);
        var flags = r.Ulong();
        var hw = r.Version();
        return new CK_SLOT_INFO(description, manufacturer, flags, hw, r.Version());
    }

    /// <summary>C_GetTokenInfo: label, serial number, and the PIN state flags.</summary>
    public CK_TOKEN_INFO C_GetTokenInfo(ulong slotId)
    {
        var buffer = stackalloc byte[320];
        new Span<byte>(buffer, 320).Clear();
        Check("C_GetTokenInfo", ((delegate* unmanaged<nuint, byte*, nuint>)Fn(IdxGetTokenInfo))((nuint)slotId, buffer));
        var r = new StructReader(buffer, _layout);
        var label = r.Utf8(32);
        var manufacturer = r.Utf8(32);
        var model = r.Utf8(16);
        var serial = r.Utf8(16);
        var flags = r.Ulong();
        r.Ulong(); // ulMaxSessionCount
        r.Ulong(); // ulSessionCount
        r.Ulong(); // ulMaxRwSessionCount
        r.Ulong(); // ulRwSessionCount
        var maxPin = r.Ulong();
        var minPin = r.Ulong();
        r.Ulong(); // ulTotalPublicMemory
        r.Ulong(); // ulFreePublicMemory
        r.Ulong(); // ulTotalPrivateMemory
        r.Ulong(); // ulFreePrivateMemory
        var hw = r.Version();
        return new CK_TOKEN_INFO(label, manufacturer, model, serial, flags, maxPin, minPin, hw, r.Version());
    }

    /// <summary>C_GetMechanismList: the CKM_ values the token supports.</summary>
    public ulong[] C_GetMechanismList(ulong slotId)
    {
        var fn = (delegate* unmanaged<nuint, byte*, byte*, nuint>)Fn(IdxGetMechanismList);
        var count = stackalloc byte[8];
        *(ulong*)count = 0;
        Check("C_GetMechanismList", fn((nuint)slotId, null, count));
        var n = (int)_layout.ReadUlong(count);
        var list = NativeLayout.Alloc(n * _layout.UlongSize);
        try
        {
            Check("C_GetMechanismList", fn((nuint)slotId, list, count));
            n = (int)_layout.ReadUlong(count);
            var result = new ulong[n];
            for (var i = 0; i < n; i++)
            {
                result[i] = _layout.ReadUlong(list + (i * _layout.UlongSize));
            }
            return result;
        }
        finally
        {
            NativeMemory.Free(list);
        }
    }

    /// <summary>C_OpenSession with CKF_SERIAL_SESSION (read-only unless <paramref name="readWrite"/>).</summary>
    public ulong C_OpenSession(ulong slotId, bool readWrite = false)
    {
        var flags = CKF.SERIAL_SESSION | (readWrite ? CKF.RW_SESSION : 0);
        var session = stackalloc byte[8];
        *(ulong*)session = 0;
        Check("C_OpenSession", ((delegate* unmanaged<nuint, nuint, void*, void*, byte*, nuint>)Fn(IdxOpenSession))(
            (nuint)slotId, (nuint)flags, null, null, session));
        return _layout.ReadUlong(session);
    }

    /// <summary>C_CloseSession.</summary>
    public void C_CloseSession(ulong session) =>
        Check("C_CloseSession", ((delegate* unmanaged<nuint, nuint>)Fn(IdxCloseSession))((nuint)session));

    /// <summary>C_CloseAllSessions for a slot.</summary>
    public void C_CloseAllSessions(ulong slotId) =>
        Check("C_CloseAllSessions", ((delegate* unmanaged<nuint, nuint>)Fn(IdxCloseAllSessions))((nuint)slotId));

    /// <summary>
    /// C_Login. The PIN is given as bytes and is overwritten with zeros before this method
    /// returns, whether the login succeeded or not; the native copy is zeroed too.
    /// An empty PIN with a pinpad reader (CKF_PROTECTED_AUTHENTICATION_PATH) passes NULL.
    /// </summary>
    public void C_Login(ulong session, ulong userType, Span<byte> pin)
    {
        var native = pin.IsEmpty ? null : NativeLayout.Alloc(pin.Length);
        try
        {
            pin.CopyTo(new Span<byte>(native, pin.Length));
            pin.Clear();
            Check("C_Login", ((delegate* unmanaged<nuint, nuint, byte*, nuint, nuint>)Fn(IdxLogin))(
                (nuint)session, (nuint)userType, native, (nuint)pin.Length));
        }
        finally
        {
            pin.Clear();
            if (native is not null)
            {
                new Span<byte>(native, pin.Length).Clear();
                NativeMemory.Free(native);
            }
        }
    }

    /// <summary>C_Logout.</summary>
    public void C_Logout(ulong session) =>
        Check("C_Logout", ((delegate* unmanaged<nuint, nuint>)Fn(IdxLogout))((nuint)session));

    /// <summary>C_FindObjectsInit with a template of attributes to match.</summary>
    public void C_FindObjectsInit(ulong session, IReadOnlyList<Pkcs11Attribute> template)
    {
        using var native = new NativeTemplate(_layout, template);
        Check("C_FindObjectsInit", ((delegate* unmanaged<nuint, byte*, nuint, nuint>)Fn(IdxFindObjectsInit))(
            (nuint)session, native.Pointer, (nuint)template.Count));
    }

    /// <summary>C_FindObjects: up to <paramref name="maxObjectCount"/> more handles, empty at the end.</summary>
    public ulong[] C_FindObjects(ulong session, int maxObjectCount)
    {
        var handles = NativeLayout.Alloc(maxObjectCount * _layout.UlongSize);
        var count = stackalloc byte[8];
        *(ulong*)count = 0;
        try
        {
            Check("C_FindObjects", ((delegate* unmanaged<nuint, byte*, nuint, byte*, nuint>)Fn(IdxFindObjects))(
                (nuint)session, handles, (nuint)maxObjectCount, count));
            var n = (int)_layout.ReadUlong(count);
            var result = new ulong[n];
            for (var i = 0; i < n; i++)
            {
                result[i] = _layout.ReadUlong(handles + (i * _layout.UlongSize));
            }
            return result;
        }
        finally
        {
            NativeMemory.Free(handles);
        }
    }

    /// <summary>C_FindObjectsFinal.</summary>
    public void C_FindObjectsFinal(ulong session) =>
        Check("C_FindObjectsFinal", ((delegate* unmanaged<nuint, nuint>)Fn(IdxFindObjectsFinal))((nuint)session));

    /// <summary>
    /// C_GetAttributeValue for several attributes, in the usual two calls (lengths, then
    /// values). An attribute the object does not have or will not reveal (sensitive) comes
    /// back as null instead of failing the whole call, as §5.7 allows.
    /// </summary>
    public byte[]?[] C_GetAttributeValue(ulong session, ulong obj, params ulong[] types)
    {
        var fn = (delegate* unmanaged<nuint, nuint, byte*, nuint, nuint>)Fn(IdxGetAttributeValue);
        var size = _layout.AttributeSize;
        var template = NativeLayout.Alloc(size * types.Length);
        var values = new IntPtr[types.Length];
        try
        {
            for (var i = 0; i < types.Length; i++)
            {
                _layout.WriteUlong(template + (i * size), types[i]);
            }
            var rv = Rv(fn((nuint)session, (nuint)obj, template, (nuint)types.Length));
            if (rv != CKR.OK && rv != CKR.ATTRIBUTE_SENSITIVE && rv != CKR.ATTRIBUTE_TYPE_INVALID)
            {
                throw new Pkcs11Exception("C_GetAttributeValue", rv);
            }
            var unavailable = _layout.UlongSize == 8 ? ulong.MaxValue : uint.MaxValue;
            var lengths = new ulong[types.Length];
            for (var i = 0; i < types.Length; i++)
            {
                var entry = template + (i * size);
                lengths[i] = _layout.ReadUlong(entry + _layout.AttributeLengthOffset);
                if (lengths[i] != unavailable)
                {
                    values[i] = (IntPtr)NativeLayout.Alloc((int)lengths[i]);
                    *(IntPtr*)(entry + _layout.AttributeValuePointerOffset) = values[i];
                }
            }
            rv = Rv(fn((nuint)session, (nuint)obj, template, (nuint)types.Length));
            if (rv != CKR.OK && rv != CKR.ATTRIBUTE_SENSITIVE && rv != CKR.ATTRIBUTE_TYPE_INVALID)
            {
                throw new Pkcs11Exception("C_GetAttributeValue", rv);
            }
            var result = new byte[]?[types.Length];
            for (var i = 0; i < types.Length; i++)
            {
                var length = _layout.ReadUlong(template + (i * size) + _layout.AttributeLengthOffset);
                if (values[i] != IntPtr.Zero && length != unavailable)
                {
                    result[i] = new ReadOnlySpan<byte>((void*)values[i], (int)length).ToArray();
                }
            }
            return result;
        }
        finally
        {
            foreach (var v in values)
            {
                if (v != IntPtr.Zero)
                {
                    NativeMemory.Free((void*)v);
                }
            }
            NativeMemory.Free(template);
        }
    }

    /// <summary>
    /// C_SignInit. <paramref name="mechanism"/> is a CKM_ value; for the PSS mechanisms
    /// CK_RSA_PKCS_PSS_PARAMS are SHA-256, MGF1-SHA-256 and a 32-byte salt (the hash length,
    /// as RFC 8017 §9.1 recommends and .NET's verifier expects).
    /// </summary>
    public void C_SignInit(ulong session, ulong mechanism, ulong key)
    {
        var isPss = mechanism is CKM.RSA_PKCS_PSS or CKM.SHA256_RSA_PKCS_PSS;
        var mech = stackalloc byte[64];
        var pss = stackalloc byte[32];
        new Span<byte>(mech, 64).Clear();
        new Span<byte>(pss, 32).Clear();
        _layout.WriteUlong(mech, mechanism);
        if (isPss)
        {
            _layout.WriteUlong(pss, CKM.SHA256);
            _layout.WriteUlong(pss + _layout.UlongSize, CKG.MGF1_SHA256);
            _layout.WriteUlong(pss + (2 * _layout.UlongSize), 32);
            *(IntPtr*)(mech + _layout.AttributeValuePointerOffset) = (IntPtr)pss;
            _layout.WriteUlong(mech + _layout.AttributeLengthOffset, (ulong)(3 * _layout.UlongSize));
        }
        Check("C_SignInit", ((delegate* unmanaged<nuint, byte*, nuint, nuint>)Fn(IdxSignInit))((nuint)session, mech, (nuint)key));
    }

    /// <summary>C_Sign over <paramref name="data"/> (single part), after <see cref="C_SignInit"/>.</summary>
    public byte[] C_Sign(ulong session, ReadOnlySpan<byte> data)
    {
        var fn = (delegate* unmanaged<nuint, byte*, nuint, byte*, byte*, nuint>)Fn(IdxSign);
        var length = stackalloc byte[8];
        *(ulong*)length = 0;
        var signature = new byte[1024];
        fixed (byte* pData = data)
        fixed (byte* pSig = signature)
        {
            _layout.WriteUlong(length, (ulong)signature.Length);
            Check("C_Sign", fn((nuint)session, pData, (nuint)data.Length, pSig, length));
        }
        return signature.AsSpan(0, (int)_layout.ReadUlong(length)).ToArray();
    }

    /// <summary>
    /// C_WaitForSlotEvent with CKF_DONT_BLOCK: the slot where a card was inserted or removed,
    /// or null when nothing happened. Modules that do not implement it (SoftHSM2) throw
    /// CKR_FUNCTION_NOT_SUPPORTED; callers then poll C_GetSlotList.
    /// </summary>
    public ulong? C_WaitForSlotEvent()
    {
        var slot = stackalloc byte[8];
        *(ulong*)slot = 0;
        var rv = Rv(((delegate* unmanaged<nuint, byte*, void*, nuint>)Fn(IdxWaitForSlotEvent))((nuint)CKF.DONT_BLOCK, slot, null));
        if (rv == CKR.NO_EVENT)
        {
            return null;
        }
        if (rv != CKR.OK)
        {
            throw new Pkcs11Exception("C_WaitForSlotEvent", rv);
        }
        return _layout.ReadUlong(slot);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        if (_ownsInitialization)
        {
            try
            {
                C_Finalize();
            }
            catch (Pkcs11Exception)
            {
                // Nothing more can be done with a module that refuses to finalise.
            }
        }
        _disposed = true;
        if (_libraryHandle != IntPtr.Zero)
        {
            // The module stays mapped: SoftHSM2 and some vendor modules crash if unloaded and
            // reloaded in one process, and a process loads one module for its lifetime.
        }
    }
}

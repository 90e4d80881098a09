using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MSSante.Pkcs11.Tests;

[Collection("softhsm")]
public sealed class BindingTests(SoftHsmFixture hsm)
{
    private readonly Pkcs11Library _lib = hsm.Library;

    [Fact]
    public void GetInfo_describes_the_SoftHSM2_module()
    {
        var info = _lib.C_GetInfo();
        Assert.Equal("SoftHSM", info.ManufacturerId);
        Assert.Equal(2, info.CryptokiVersion.Major);
        Assert.Equal("Implementation of PKCS11", info.LibraryDescription);
    }

    [Fact]
    public void Enumeration_finds_a_new_token_with_its_label_and_PIN_state()
    {
        var label = hsm.CreateToken(withKey: false);
        var slot = hsm.SlotOf(label);
        var slotInfo = _lib.C_GetSlotInfo(slot);
        Assert.True(slotInfo.TokenPresent, $"slot flags 0x{slotInfo.Flags:X}");
        var token = _lib.C_GetTokenInfo(slot);
        Assert.Equal(label, token.Label);
        Assert.Equal("SoftHSM project", token.ManufacturerId);
        Assert.False(string.IsNullOrEmpty(token.SerialNumber));
        Assert.False(token.PinCountLow);
        Assert.False(token.PinLocked);
        Assert.Equal(4UL, token.MinPinLen);
        Assert.Contains(slot, _lib.C_GetSlotList(tokenPresent: false));
        // SoftHSM2 always offers one more slot with an uninitialised token, as a blank card.
        Assert.Contains(_lib.C_GetSlotList(tokenPresent: true), s => (_lib.C_GetTokenInfo(s).Flags & CKF.TOKEN_INITIALIZED) == 0);
    }

    [Fact]
    public void Mechanism_list_has_every_signing_mechanism_the_login_may_use()
    {
        var slot = hsm.SlotOf(hsm.CreateToken(withKey: false));
        var mechanisms = _lib.C_GetMechanismList(slot);
        Assert.Contains(CKM.SHA256_RSA_PKCS, mechanisms);
        Assert.Contains(CKM.RSA_PKCS, mechanisms);
        Assert.Contains(CKM.SHA256_RSA_PKCS_PSS, mechanisms);
        Assert.Contains(CKM.RSA_PKCS_PSS, mechanisms);
    }

    [Fact]
    public void Certificates_are_found_without_login_and_the_private_key_only_after()
    {
        var label = hsm.CreateToken();
        var session = _lib.C_OpenSession(hsm.SlotOf(label));
        try
        {
            var certs = _lib.ListCertificates(session);
            var cert = Assert.Single(certs);
            Assert.Equal("Certificat d'Authentification CPS", cert.Label);
            Assert.Equal(new byte[] { 1 }, cert.Id);
            using var x509 = X509CertificateLoader.LoadCertificate(cert.Der);
            Assert.Contains("899700100015", x509.Subject, StringComparison.Ordinal);

            Assert.Null(_lib.FindPrivateKey(session, cert.Id));
            _lib.C_Login(session, CKU.USER, Encoding.ASCII.GetBytes("1234"));
            Assert.NotNull(_lib.FindPrivateKey(session, cert.Id));
            Assert.Null(_lib.FindPrivateKey(session, [9, 9]));
            _lib.C_Logout(session);
            Assert.Null(_lib.FindPrivateKey(session, cert.Id));
        }
        finally
        {
            _lib.C_CloseSession(session);
        }
    }

    [Fact]
    public void Login_zeroes_the_PIN_buffer_it_was_given()
    {
        var label = hsm.CreateToken();
        var session = _lib.C_OpenSession(hsm.SlotOf(label));
        try
        {
            var pin = Encoding.ASCII.GetBytes("1234");
            _lib.C_Login(session, CKU.USER, pin);
            Assert.All(pin, b => Assert.Equal(0, b));
            var wrong = Encoding.ASCII.GetBytes("0000");
            _lib.C_Logout(session);
            Assert.Throws<Pkcs11Exception>(() => _lib.C_Login(session, CKU.USER, wrong));
            Assert.All(wrong, b => Assert.Equal(0, b));
        }
        finally
        {
            _lib.C_CloseSession(session);
        }
    }

    [Theory]
    [InlineData(SignatureMechanism.Sha256RsaPkcs)]
    [InlineData(SignatureMechanism.RsaPkcsWithDigestInfo)]
    [InlineData(SignatureMechanism.Sha256RsaPkcsPss)]
    [InlineData(SignatureMechanism.RsaPkcsPss)]
    public void Each_mechanism_produces_a_signature_that_dotnet_verifies_with_the_certificate(SignatureMechanism mechanism)
    {
        var label = hsm.CreateToken();
        var session = _lib.C_OpenSession(hsm.SlotOf(label));
        try
        {
            var cert = Assert.Single(_lib.ListCertificates(session));
            _lib.C_Login(session, CKU.USER, Encoding.ASCII.GetBytes("1234"));
            var key = _lib.FindPrivateKey(session, cert.Id)!.Value;
            var challenge = Encoding.UTF8.GetBytes("{\"nonce\":\"abc\",\"origin\":\"https://webmail.test\"}");
            var signature = _lib.Sign(session, key, mechanism, challenge);

            using var x509 = X509CertificateLoader.LoadCertificate(cert.Der);
            using var rsa = x509.GetRSAPublicKey()!;
            var padding = mechanism is SignatureMechanism.Sha256RsaPkcsPss or SignatureMechanism.RsaPkcsPss
                ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
            Assert.Equal(256, signature.Length);
            Assert.True(rsa.VerifyData(challenge, signature, HashAlgorithmName.SHA256, padding));
            challenge[0] ^= 1;
            Assert.False(rsa.VerifyData(challenge, signature, HashAlgorithmName.SHA256, padding));
        }
        finally
        {
            _lib.C_CloseSession(session);
        }
    }

    [Fact]
    public void Public_key_object_matches_the_certificate_key()
    {
        var label = hsm.CreateToken();
        var session = _lib.C_OpenSession(hsm.SlotOf(label));
        try
        {
            var cert = Assert.Single(_lib.ListCertificates(session));
            var pub = Assert.Single(_lib.FindObjects(session, Pkcs11Attribute.Ulong(CKA.CLASS, CKO.PUBLIC_KEY), Pkcs11Attribute.Bytes(CKA.ID, cert.Id)));
            var parameters = _lib.ReadRsaPublicKey(session, pub);
            using var x509 = X509CertificateLoader.LoadCertificate(cert.Der);
            using var rsa = x509.GetRSAPublicKey()!;
            Assert.Equal(rsa.ExportParameters(false).Modulus, parameters.Modulus);
        }
        finally
        {
            _lib.C_CloseSession(session);
        }
    }

    [Fact]
    public void Private_key_value_is_never_revealed()
    {
        var label = hsm.CreateToken();
        var session = _lib.C_OpenSession(hsm.SlotOf(label));
        try
        {
            _lib.C_Login(session, CKU.USER, Encoding.ASCII.GetBytes("1234"));
            var key = _lib.FindPrivateKey(session, [1])!.Value;
            var values = _lib.C_GetAttributeValue(session, key, CKA.LABEL, CKA.VALUE, CKA.SIGN);
            Assert.Equal("Cle d'authentification", Encoding.UTF8.GetString(values[0]!));
            Assert.Null(values[1]);
            Assert.Equal(new byte[] { 1 }, values[2]);
        }
        finally
        {
            _lib.C_CloseSession(session);
        }
    }

    [Fact]
    public void Wrong_PIN_raises_CKR_PIN_INCORRECT_naming_C_Login_and_sets_count_low()
    {
        var label = hsm.CreateToken();
        var slot = hsm.SlotOf(label);
        var session = _lib.C_OpenSession(slot);
        try
        {
            var ex = Assert.Throws<Pkcs11Exception>(() => _lib.C_Login(session, CKU.USER, Encoding.ASCII.GetBytes("9999")));
            Assert.Equal("C_Login", ex.Function);
            Assert.Equal(CKR.PIN_INCORRECT, ex.ReturnValue);
            Assert.Equal("C_Login returned CKR_PIN_INCORRECT", ex.Message);
            Assert.True(_lib.C_GetTokenInfo(slot).PinCountLow);
            _lib.C_Login(session, CKU.USER, Encoding.ASCII.GetBytes("1234"));
            Assert.False(_lib.C_GetTokenInfo(slot).PinCountLow);
        }
        finally
        {
            _lib.C_CloseSession(session);
        }
    }

    [Fact]
    public void Signing_after_logout_is_refused_by_the_token()
    {
        var label = hsm.CreateToken();
        var session = _lib.C_OpenSession(hsm.SlotOf(label));
        try
        {
            _lib.C_Login(session, CKU.USER, Encoding.ASCII.GetBytes("1234"));
            var key = _lib.FindPrivateKey(session, [1])!.Value;
            _lib.C_Logout(session);
            var ex = Assert.Throws<Pkcs11Exception>(() => _lib.C_SignInit(session, CKM.SHA256_RSA_PKCS, key));
            Assert.Equal("C_SignInit", ex.Function);
            Assert.Contains(ex.ReturnValue, new[] { CKR.USER_NOT_LOGGED_IN, CKR.KEY_HANDLE_INVALID, CKR.OBJECT_HANDLE_INVALID });
        }
        finally
        {
            _lib.C_CloseSession(session);
        }
    }

    [Fact]
    public void Closed_session_handle_is_reported_as_invalid()
    {
        var session = _lib.C_OpenSession(hsm.SlotOf(hsm.CreateToken(withKey: false)));
        _lib.C_CloseSession(session);
        var ex = Assert.Throws<Pkcs11Exception>(() => _lib.C_Login(session, CKU.USER, Encoding.ASCII.GetBytes("1234")));
        Assert.Equal(CKR.SESSION_HANDLE_INVALID, ex.ReturnValue);
    }

    [Fact]
    public void Unknown_slot_is_reported_as_invalid()
    {
        var ex = Assert.Throws<Pkcs11Exception>(() => _lib.C_GetTokenInfo(0x7fff_fff0));
        Assert.Equal("C_GetTokenInfo", ex.Function);
        Assert.Equal(CKR.SLOT_ID_INVALID, ex.ReturnValue);
    }

    [Fact]
    public void Token_removed_while_a_session_is_open_makes_later_calls_fail_and_disappears_from_the_slot_list()
    {
        var label = hsm.CreateToken();
        var slot = hsm.SlotOf(label);
        var session = _lib.C_OpenSession(slot);
        _lib.C_Login(session, CKU.USER, Encoding.ASCII.GetBytes("1234"));
        var key = _lib.FindPrivateKey(session, [1])!.Value;
        _lib.Sign(session, key, SignatureMechanism.Sha256RsaPkcs, [1, 2, 3]);
        hsm.DeleteToken(label);

        // The bridge's removal detection: the token's slot no longer answers with its label.
        string? LabelOrNull(ulong s)
        {
            try
            {
                return _lib.C_GetTokenInfo(s).Label;
            }
            catch (Pkcs11Exception)
            {
                return null;
            }
        }
        Assert.NotEqual(label, LabelOrNull(slot));
        var ex = Assert.Throws<Pkcs11Exception>(() => _lib.Sign(session, key, SignatureMechanism.Sha256RsaPkcs, [1, 2, 3]));
        Assert.StartsWith("C_Sign", ex.Function, StringComparison.Ordinal);
        Assert.NotEqual(CKR.OK, ex.ReturnValue);
    }

    [Fact]
    public void WaitForSlotEvent_without_blocking_reports_no_event_when_nothing_changed()
    {
        // SoftHSM2 has no readers to watch: it answers CKR_NO_EVENT (or not supported), and
        // the bridge falls back to polling C_GetSlotList either way.
        try
        {
            Assert.Null(_lib.C_WaitForSlotEvent());
        }
        catch (Pkcs11Exception ex)
        {
            Assert.Equal(CKR.FUNCTION_NOT_SUPPORTED, ex.ReturnValue);
        }
    }
}

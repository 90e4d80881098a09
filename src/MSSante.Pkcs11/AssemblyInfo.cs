namespace MSSante.Pkcs11;

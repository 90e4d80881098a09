# Test PKI and the webmail's token-signing key (sourced by deploy/stack.sh).
# Generated once into .state/pki and .state/keys, reused by every later start.

ensure_pki() {
  local pki=$STATE_DIR/pki
  mkdir -p "$pki"
  chmod 755 "$pki"
  if [[ ! -s $pki/ca.crt || ! -s $pki/ca.key ]]; then
    log "generating the test CA"
    openssl req -x509 -newkey rsa:3072 -nodes -sha256 -days 3650 \
      -keyout "$pki/ca.key" -out "$pki/ca.crt" \
      -subj "/C=FR/O=MSSante Webmail Demo/OU=Operateur local de test/CN=AC de test MSSante Webmail (ne pas utiliser en production)" \
      -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -addext "subjectKeyIdentifier=hash" 2>/dev/null
    chmod 600 "$pki/ca.key"
    rm -f "$pki/server.crt"
  fi
  if [[ ! -s $pki/server.crt || ! -s $pki/server.key ]]; then
    log "issuing the server certificate for 127.0.0.1/localhost"
    # ECDHE-RSA suites are what the MSSante client referential lists, so the key is RSA.
    openssl req -new -newkey rsa:2048 -nodes -keyout "$pki/server.key" -out "$pki/server.csr" \
      -subj "/C=FR/O=MSSante Webmail Demo/CN=localhost" 2>/dev/null
    cat >"$pki/server.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EXT
    openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
      -CAcreateserial -days 825 -sha256 -extfile "$pki/server.ext" -out "$pki/server.crt" 2>/dev/null
    chmod 600 "$pki/server.key"
    rm -f "$pki/server.csr"
  fi
  cat "$pki/server.crt" "$pki/ca.crt" >"$pki/server-chain.crt"
}

ensure_token_key() {
  local keys=$STATE_DIR/keys
  mkdir -p "$keys"
  chmod 755 "$keys"
  if [[ ! -s $keys/token-signing.pem ]]; then
    log "generating the webmail's RS256 token-signing key"
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$keys/token-signing.pem" 2>/dev/null
    chmod 600 "$keys/token-signing.pem"
  fi
  openssl pkey -in "$keys/token-signing.pem" -pubout -out "$keys/token-public.pem" 2>/dev/null
  # The web host encrypts its Data Protection key ring (stored in the database) to this
  # certificate, so reading the database is not enough to forge a session cookie.
  if [[ ! -s $keys/dataprotection.crt || ! -s $keys/dataprotection.key ]]; then
    log "generating the certificate that encrypts the web host's Data Protection keys"
    openssl req -x509 -newkey rsa:3072 -nodes -sha256 -days 3650 \
      -keyout "$keys/dataprotection.key" -out "$keys/dataprotection.crt" \
      -subj "/C=FR/O=MSSante Webmail Demo/CN=Chiffrement du trousseau Data Protection (test)" 2>/dev/null
    chmod 600 "$keys/dataprotection.key"
  fi
  # kid: a short fingerprint of the public key, so a new key gets a new kid (RFC 7515 §4.1.4).
  TOKEN_KEY_ID="webmail-$(openssl pkey -pubin -in "$keys/token-public.pem" -outform DER | sha256sum | cut -c1-16)"
}

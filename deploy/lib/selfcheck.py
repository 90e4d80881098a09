#!/usr/bin/env python3
"""Quick self-check of the running operator (stdlib only), used by `deploy/stack.sh status`.

Each check prints one line `ok|FAIL <name>: <detail>`; the exit code is the number of
failures. The token check mints a short RS256 JWT with the webmail's key through openssl
(the Python standard library has no RSA) and logs in over IMAPS with OAUTHBEARER.
"""

import base64
import json
import socket
import ssl
import subprocess
import sys
import time


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def mint(stack, email, sub):
    header = {"alg": "RS256", "typ": "JWT", "kid": stack["token"]["keyId"]}
    now = int(time.time())
    claims = {"iss": stack["token"]["issuer"], "aud": stack["token"]["audience"], "sub": sub,
              "email": email, "iat": now, "nbf": now - 5, "exp": now + 120}
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", stack["paths"]["tokenSigningKey"]],
                         input=signing_input.encode(), capture_output=True, check=True).stdout
    return signing_input + "." + b64url(sig)


def tls_context(stack):
    ctx = ssl.create_default_context(cafile=stack["paths"]["caCertificate"])
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def check_imaps(stack):
    host, port = stack["host"], stack["ports"]["imaps"]
    with socket.create_connection((host, port), timeout=5) as raw:
        with tls_context(stack).wrap_socket(raw, server_hostname=host) as s:
            f = s.makefile("rwb")
            greeting = f.readline().decode()
            if not greeting.startswith("* OK"):
                raise RuntimeError("unexpected greeting " + greeting.strip())
            user = next(u for u in stack["users"] if u["type"] == "PER")
            token = mint(stack, user["address"], user["idNat"])
            gs2 = f"n,a={user['address']},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01"
            f.write(b"a AUTHENTICATE OAUTHBEARER " + base64.b64encode(gs2.encode()) + b"\r\n")
            f.flush()
            line = f.readline().decode()
            if not line.startswith("a OK"):
                raise RuntimeError("OAUTHBEARER login refused: " + line.strip())
            f.write(b"b LOGOUT\r\n")
            f.flush()
            return f"{s.version()}, OAUTHBEARER login as {user['address']} accepted"


def check_imap_starttls(stack):
    host, port = stack["host"], stack["ports"]["imap"]
    with socket.create_connection((host, port), timeout=5) as raw:
        f = raw.makefile("rwb")
        f.readline()
        f.write(b"a STARTTLS\r\n")
        f.flush()
        if not f.readline().startswith(b"a OK"):
            raise RuntimeError("STARTTLS refused")
        with tls_context(stack).wrap_socket(raw, server_hostname=host) as s:
            g = s.makefile("rwb")
            g.write(b"b CAPABILITY\r\n")
            g.flush()
            caps = g.readline().decode()
            if "AUTH=OAUTHBEARER" not in caps:
                raise RuntimeError("no AUTH=OAUTHBEARER after STARTTLS")
            return "STARTTLS, AUTH=OAUTHBEARER offered"


def smtp_ehlo(f):
    f.write(b"EHLO selfcheck.local\r\n")
    f.flush()
    lines = []
    while True:
        line = f.readline().decode()
        lines.append(line.strip())
        if line[3:4] != "-":
            return lines


def check_submission(stack, name, implicit):
    host, port = stack["host"], stack["ports"][name]
    raw = socket.create_connection((host, port), timeout=5)
    try:
        if implicit:
            raw = tls_context(stack).wrap_socket(raw, server_hostname=host)
            f = raw.makefile("rwb")
            f.readline()
        else:
            f = raw.makefile("rwb")
            f.readline()
            smtp_ehlo(f)
            f.write(b"STARTTLS\r\n")
            f.flush()
            if not f.readline().startswith(b"220"):
                raise RuntimeError("STARTTLS refused")
            raw = tls_context(stack).wrap_socket(raw, server_hostname=host)
            f = raw.makefile("rwb")
        caps = " ".join(smtp_ehlo(f))
        if "OAUTHBEARER" not in caps:
            raise RuntimeError("AUTH OAUTHBEARER not offered: " + caps)
        f.write(b"QUIT\r\n")
        f.flush()
        return "TLS, AUTH OAUTHBEARER offered"
    finally:
        raw.close()


def check_inbound(stack):
    host, port = stack["host"], stack["ports"]["smtp"]
    with socket.create_connection((host, port), timeout=5) as raw:
        f = raw.makefile("rwb")
        greeting = f.readline().decode()
        if not greeting.startswith("220"):
            raise RuntimeError("unexpected greeting " + greeting.strip())
        f.write(b"QUIT\r\n")
        f.flush()
        return "greeting " + greeting[:3]


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        stack = json.load(f)
    checks = [
        ("imaps token login", lambda: check_imaps(stack)),
        ("imap starttls", lambda: check_imap_starttls(stack)),
        ("submission starttls", lambda: check_submission(stack, "submission", False)),
        ("submissions tls", lambda: check_submission(stack, "submissions", True)),
        ("inbound smtp", lambda: check_inbound(stack)),
    ]
    failures = 0
    for name, check in checks:
        try:
            print(f"  ok   {name}: {check()}")
        except Exception as e:  # noqa: BLE001 - every failure is reported, none aborts the rest
            failures += 1
            print(f"  FAIL {name}: {e}")
    return failures


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""A real Postfix non-delivery report (RFC 3464 multipart/report; report-type=delivery-status,
with a text/plain explanation, message/delivery-status and the returned message/rfc822),
produced by the local operator stack (deploy/stack.sh start; .state/stack.json exists):

1. a message from a demo user, with an attachment, to an address at a domain of the trust space
   that this machine does not host (aphp.mssante.fr is whitelisted) is posted with Postfix's
   sendmail command. (On the submission port Postfix's smtpd already refuses such a recipient
   at RCPT time with 550 5.4.4, since it resolves to the error transport: that is what the
   webmail sees, so no queued message and no bounce come from that path.)
2. Postfix's default transport is `error:` (nothing leaves this machine), so the queue manager
   bounces it and the bounce daemon delivers the report over LMTP to the sender's INBOX;
3. the report is read back by IMAP (implicit TLS, SASL OAUTHBEARER with an RS256 token minted
   from the stack's signing key, as OperatorTokenIssuer does), its raw bytes written to
   ../operator/postfix-bounce-1.eml, and removed from the mailbox again.

The token only travels in the SASL exchange; the script checks it appears nowhere in the saved
report. Regenerate the golden with MIME_UPDATE_GOLDEN=1 (see GoldenTests) and review it.
Run from this directory as root (sendmail of the private instance): python3 make_operator_bounce.py"""
import base64
import imaplib
import json
import os
import secrets
import ssl
import sys
import time
import email.policy
import subprocess
from email.message import EmailMessage

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", ".."))
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "operator", "postfix-bounce-1.eml")
STACK = json.load(open(os.path.join(ROOT, ".state", "stack.json")))
SENDER = "jeanne.martin@medecin.mssante.fr"
RECIPIENT = "secretariat.cardiologie@aphp.mssante.fr"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def token(address):
    """An RS256 JWT with the claims OperatorTokenIssuer puts in (RFC 7519 §4.1)."""
    t = STACK["token"]
    sub = next(u["idNat"] for u in STACK["users"] if u["address"] == address)
    now = int(time.time())
    header = {"alg": "RS256", "typ": "JWT", "kid": t["keyId"]}
    payload = {"iss": t["issuer"], "aud": t["audience"], "sub": sub, "email": address,
               "iat": now, "nbf": now - 30, "exp": now + 300, "jti": secrets.token_hex(16)}
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(payload).encode())
    with open(STACK["paths"]["tokenSigningKey"], "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url(signature)


def oauthbearer(address, bearer):
    # RFC 7628 §3.1: gs2-header "n,a=user," then kvpairs separated by ^A.
    return "n,a=%s,\x01auth=Bearer %s\x01\x01" % (address, bearer)


def context():
    ctx = ssl.create_default_context(cafile=STACK["paths"]["caCertificate"])
    ctx.check_hostname = False  # the stack's server certificate names "localhost", we dial 127.0.0.1
    return ctx


marker = "<bounce-%s@medecin.mssante.fr>" % secrets.token_hex(6)
m = EmailMessage(policy=email.policy.SMTP)
m["From"] = "Dr Jeanne Martin <%s>" % SENDER
m["To"] = "Secrétariat de cardiologie <%s>" % RECIPIENT
m["Subject"] = "Demande d'avis : échographie cardiaque"
m["Message-ID"] = marker
m.set_content("Chère consœur, cher confrère,\n\nJe vous adresse une demande d'avis pour une échographie"
              " cardiaque (souffle systolique récent).\n\nBien confraternellement,\nDr Jeanne Martin\n")
m.add_attachment("Motif : souffle systolique 2/6, dyspnée d'effort.\n".encode("utf-8"),
                 maintype="text", subtype="plain", filename="demande d'avis.txt")

# Postfix's smtpd refuses a recipient that resolves to the error transport at RCPT time
# (550 5.4.4, what the webmail sees on the submission port), so the message enters the queue
# the other way Postfix offers: the sendmail command (postdrop/pickup), as a local application
# or relay host would post it. From the queue the error transport bounces it.
subprocess.run(["/usr/sbin/sendmail", "-C", STACK["paths"]["postfixConfigDir"], "-f", SENDER, "-oi", "--", RECIPIENT],
               input=m.as_bytes(), check=True, timeout=30)

imap = imaplib.IMAP4_SSL(STACK["host"], STACK["ports"]["imaps"], ssl_context=context())
bearer = token(SENDER)
imap.authenticate("OAUTHBEARER", lambda _: oauthbearer(SENDER, bearer).encode())
imap.select("INBOX")
deadline = time.time() + 120  # pickup scans the maildrop at least every 60 s
uids = []
while time.time() < deadline and not uids:
    imap.noop()
    typ, data = imap.uid("SEARCH", None, "FROM", "MAILER-DAEMON", "HEADER", "Content-Type", "delivery-status")
    for uid in data[0].split():
        typ, body = imap.uid("FETCH", uid, "(BODY.PEEK[])")
        if marker.encode() in body[0][1]:
            uids.append(uid)
    if not uids:
        time.sleep(1)
if len(uids) != 1:
    sys.exit("expected one bounce in the INBOX, found %d" % len(uids))
typ, data = imap.uid("FETCH", uids[0], "(BODY.PEEK[])")
raw = data[0][1]
if bearer.encode() in raw or bearer.split(".")[2].encode() in raw or b"auth=Bearer" in raw:
    sys.exit("the token leaked into the report")
with open(OUT, "wb") as f:
    f.write(raw)
imap.uid("STORE", uids[0], "+FLAGS.SILENT", "(\\Deleted)")
imap.uid("EXPUNGE", uids[0])
imap.logout()
print("wrote %s (%d bytes)" % (os.path.relpath(OUT), len(raw)))
